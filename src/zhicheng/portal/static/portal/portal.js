// Tooltips for the "inferred" badges; re-applied after an htmx swap of the plan table.
(function () {
  function tooltips(root) {
    if (!window.bootstrap) return;
    root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
      window.bootstrap.Tooltip.getOrCreateInstance(el);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tooltips(document); });
  document.addEventListener("htmx:afterSwap", function (event) { tooltips(event.target); });
})();

// "打印名单" buttons (publicity lists): the page's print layout hides forms and navigation.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-zc-print]");
  if (button) { window.print(); }
});
