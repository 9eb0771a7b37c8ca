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
