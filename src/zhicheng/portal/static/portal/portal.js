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

// Forms that ask before sending (data-zc-confirm="question") or send only once (data-zc-once):
// instead of inline onsubmit handlers, which the Content-Security-Policy forbids.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form || !form.hasAttribute) return;
  var question = form.getAttribute("data-zc-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); return; }
  if (form.hasAttribute("data-zc-once")) {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = true; });
  }
});

// The end of a session (zhicheng.accounts.sessions): #zc-session says how many seconds are
// left until the idle timeout and until the absolute lifetime. Shortly before the end a
// warning offers 「继续使用」 (renews the idle timeout) — what is typed meanwhile stays in the
// drafts above; at the end the page says so and links the login, which brings the typing back.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("zc-session");
    if (!el) return;
    var zh = document.documentElement.lang.indexOf("zh") === 0;
    var started = Date.now();
    var idle = parseInt(el.getAttribute("data-idle"), 10) * 1000;
    var lifetime = parseInt(el.getAttribute("data-lifetime"), 10) * 1000;
    var warn = parseInt(el.getAttribute("data-warn"), 10) * 1000;
    var box = null;
    var timer = null;

    function csrf() {
      var input = document.querySelector("input[name=csrfmiddlewaretoken]");
      if (input) return input.value;
      var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      return m ? decodeURIComponent(m[1]) : "";
    }
    function left() {  // milliseconds until the session ends, whichever comes first
      var passed = Date.now() - started;
      return Math.min(idle - passed, lifetime - passed);
    }
    function show(text, withButton) {
      if (!box) {
        box = document.createElement("div");
        box.className = "alert alert-warning shadow zc-session-warning";
        box.setAttribute("role", "alert");
        document.body.appendChild(box);
      }
      box.textContent = "";
      var p = document.createElement("p");
      p.className = "mb-2";
      p.textContent = text;
      box.appendChild(p);
      if (withButton) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "btn btn-sm btn-primary";
        b.textContent = zh ? "继续使用" : "Stay signed in";
        b.addEventListener("click", keepAlive);
        box.appendChild(b);
      } else {
        var a = document.createElement("a");
        a.className = "btn btn-sm btn-primary";
        a.href = el.getAttribute("data-login") + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
        a.textContent = zh ? "重新登录" : "Sign in again";
        box.appendChild(a);
      }
    }
    function hide() { if (box) { box.remove(); box = null; } }
    function expired() {
      show(zh ? "为安全起见，本次登录已自动退出。本页已填写的内容已保留，重新登录后将恢复。"
              : "You have been signed out for security. What you typed on this page is kept and comes back after you sign in again.", false);
    }
    function keepAlive() {
      fetch(el.getAttribute("data-keepalive"), {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }
      }).then(function (r) { return r.json().then(function (d) { return [r.status, d]; }); })
        .then(function (res) {
          if (res[0] !== 200 || res[1].expired) { expired(); return; }
          started = Date.now();
          idle = res[1].idle * 1000;
          lifetime = res[1].lifetime * 1000;
          hide();
          schedule();
        })
        .catch(function () { /* offline: the next check decides */ });
    }
    function tick() {
      var ms = left();
      if (ms <= 0) { expired(); return; }
      if (ms <= warn) {
        var minutes = Math.max(1, Math.ceil(ms / 60000));
        var byLifetime = lifetime - (Date.now() - started) <= idle - (Date.now() - started);
        show(zh ? (byLifetime ? "本次登录将在约 " + minutes + " 分钟后到期，请先保存正在填写的内容。"
                              : "您已较长时间未操作，约 " + minutes + " 分钟后将自动退出。已填写的内容会保留。")
                : (byLifetime ? "Your sign-in ends in about " + minutes + " minute(s); please save what you are typing."
                              : "You will be signed out in about " + minutes + " minute(s) of inactivity. What you typed is kept."),
             !byLifetime);
      }
      schedule();
    }
    function schedule() {
      if (timer) clearTimeout(timer);
      var ms = left();
      timer = setTimeout(tick, Math.max(1000, Math.min(ms - warn > 0 ? ms - warn : 1000, 60000)));
    }
    schedule();
    if (left() <= warn) tick();
  });
})();
