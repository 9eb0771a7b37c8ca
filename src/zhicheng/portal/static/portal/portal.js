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

// A form typed into while the session ran out is not lost: what is typed is kept in this
// tab's sessionStorage (never passwords, files or the CSRF token); when a post is sent back
// to the login page (`?next=`), the form at that address gets its values back after login,
// with a notice. Drafts are dropped on logout and die with the tab.
(function () {
  var PREFIX = "zc-draft:";
  var RESTORE = "zc-draft-restore";
  var SKIP = { password: 1, file: 1, hidden: 1, submit: 1, button: 1, reset: 1 };

  function keyOf(form) {
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    return PREFIX + action.pathname;
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && !SKIP[el.type] && !el.disabled;
    });
  }

  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name + "=" + el.value] = el.checked;
      } else if (el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    if (!Object.keys(data).length) return;  // nothing a person typed (a button-only form)
    try { window.sessionStorage.setItem(keyOf(form), JSON.stringify(data)); } catch (e) { /* full or off */ }
  }

  function restore(form, data) {
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in data) el.checked = !!data[k];
      } else if (el.multiple && Array.isArray(data[el.name])) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = data[el.name].indexOf(o.value) >= 0; });
      } else if (el.name in data) {
        el.value = data[el.name];
      }
    });
  }

  function notice(form, text) {
    var box = document.createElement("div");
    box.className = "alert alert-warning zc-draft-restored";
    box.setAttribute("role", "status");
    box.textContent = text;
    form.parentNode.insertBefore(box, form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var storage;
    try { storage = window.sessionStorage; } catch (e) { return; }
    var here = new URL(window.location.href);
    if (/\/accounts\/login\/$/.test(here.pathname)) {  // sent here from a form: remember where to bring the typing back
      var next = here.searchParams.get("next");
      if (next && next.charAt(0) === "/") storage.setItem(RESTORE, new URL(next, here).pathname);
      return;
    }
    var target = storage.getItem(RESTORE);
    document.querySelectorAll("main form[method=post], main form[method=POST]").forEach(function (form) {
      if (form.hasAttribute("data-no-draft")) return;
      var key = keyOf(form);
      if (target && key === PREFIX + target) {
        var saved = storage.getItem(key);
        if (saved) {
          restore(form, JSON.parse(saved));
          notice(form, document.documentElement.lang.indexOf("zh") === 0
            ? "登录已过期，您重新登录前填写的内容已恢复，请核对后再提交。"
            : "Your session had expired; what you typed before signing in again has been restored. Please check it and submit again.");
        }
        storage.removeItem(RESTORE);
      }
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () { save(form); });
    });
    document.querySelectorAll("a[href$='/accounts/logout/']").forEach(function (a) {
      a.addEventListener("click", function () {
        Object.keys(storage).forEach(function (k) { if (k.indexOf(PREFIX) === 0) storage.removeItem(k); });
      });
    });
  });
})();

// A table wider than the screen (a phone) scrolls sideways in its .table-responsive box;
// keyboard users must be able to reach that box to scroll it (WCAG 2.1.1), so a box that
// overflows becomes focusable, named after its table's caption or heading.
(function () {
  function wrap() {  // every table in a page gets the sideways-scrolling box
    document.querySelectorAll("main table.table").forEach(function (table) {
      var parent = table.parentElement;
      if (parent.closest(".table-responsive, .zc-table-wrap")) return;
      var box = document.createElement("div");
      box.className = "table-responsive";
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
  }
  function mark() {
    document.querySelectorAll(".table-responsive, .zc-table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          var caption = box.querySelector("caption");
          var section = box.closest("section");
          var heading = section && section.querySelector("h1, h2, h3");
          var name = (caption || heading || document.querySelector("main h1") || {}).textContent;
          if (name) box.setAttribute("aria-label", name.trim());
        }
      } else if (box.getAttribute("tabindex") === "0" && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wrap(); mark(); });
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSwap", mark);
})();


// "打印名单" buttons (publicity lists): the page's print layout hides forms and navigation.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-zc-print]");
  if (button) { window.print(); }
});
