// Verify a certificate's Ed25519 signature in the visitor's browser (WebCrypto), from the
// code in the page's fragment (the QR code's link: /verify/#ZC1.…) or pasted in the form.
// The fragment never reaches the server; the published keys come from keys.json.
// WebCrypto has no SM2: a certificate signed by an SM2 (国密) key is not checked here; the
// page says so and offers the server's check (docs/trust.md §Signature algorithms).
// Format: docs/trust.md §Certificate.
(function () {
  "use strict";
  const box = document.getElementById("browser-check");
  if (!box) return;
  const t = box.dataset;

  function b64urlDecode(text) {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    const raw = atob(b64);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function show(ok, message, data, tone) {
    box.hidden = false;
    box.className = "alert " + (tone || (ok ? "alert-success" : "alert-danger"));
    box.replaceChildren();
    const head = document.createElement("strong");
    head.id = "browser-check-label";
    head.textContent = message;
    box.appendChild(head);
    if (data) {
      const list = document.createElement("dl");
      list.className = "row mb-0 mt-2 small";
      for (const [key, label] of [["no", t.no], ["name", t.name], ["idm", t.idm],
          ["title", t.title], ["level", t.level], ["committee", t.committee],
          ["approval", t.approval], ["passed", t.passed], ["qualified", t.qualified], ["issued", t.issued],
          ["kid", t.kid]]) {
        if (!(key in data)) continue;
        const dt = document.createElement("dt");
        dt.className = "col-sm-3";
        dt.textContent = label;
        const dd = document.createElement("dd");
        dd.className = "col-sm-9";
        dd.dataset.field = key;
        dd.textContent = String(data[key]);
        list.append(dt, dd);
      }
      box.appendChild(list);
    }
  }

  async function verify(code) {
    const parts = code.trim().split(".");
    if (parts.length !== 4 || parts[0] !== "ZC1" || !parts[3]) {
      return show(false, t.malformed);
    }
    if (!(window.crypto && crypto.subtle)) return show(false, t.unsupported);
    let payload, signature;
    try {
      payload = b64urlDecode(parts[1]);
      signature = b64urlDecode(parts[2]);
    } catch (e) {
      return show(false, t.malformed);
    }
    let keys;
    try {
      keys = (await (await fetch(t.keysUrl, {cache: "no-store"})).json()).keys || [];
    } catch (e) {
      return show(false, t.nokeys);
    }
    const entry = keys.find((k) => k.key_id === parts[3]);
    if (entry && entry.algorithm === "SM2") {
      // Not checked in the browser: the visitor is told, and the server's check is one click.
      box.dataset.algorithm = "SM2";
      return show(false, t.serverSm2, null, "alert-info");
    }
    if (!entry || entry.algorithm !== "Ed25519") return show(false, t.unknownKey);
    let valid = false;
    try {
      const key = await crypto.subtle.importKey(
        "raw", b64urlDecode(entry.public_key), {name: "Ed25519"}, false, ["verify"]);
      // The signature covers the decoded payload bytes, not the base64url text.
      valid = await crypto.subtle.verify({name: "Ed25519"}, key, signature, payload);
    } catch (e) {
      return show(false, t.unsupported);
    }
    if (!valid) return show(false, t.invalid);
    let data;
    try {
      data = JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(payload));
    } catch (e) {
      return show(false, t.invalid);
    }
    if (data.kid !== parts[3]) return show(false, t.invalid);
    show(true, t.valid, data);
  }

  const field = document.getElementById("v-code");
  const hash = decodeURIComponent(window.location.hash.slice(1));
  if (hash.startsWith("ZC1.")) {
    if (field) field.value = hash;
    verify(hash);
  }
  const button = document.getElementById("browser-verify");
  if (button && field) button.addEventListener("click", () => verify(field.value));
  window.zhichengVerify = verify;
})();
