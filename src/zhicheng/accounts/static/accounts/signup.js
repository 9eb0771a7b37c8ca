// Sign-up: the rows that depend on the identity document's type (templates/account/signup.html).
(function () {
  var form = document.getElementById("signup-form");
  var type = form && form.elements["id_type"];
  if (!type) { return; }
  function show(name, on) {
    var row = document.getElementById("row-" + name);
    if (row) { row.hidden = !on; }
  }
  function update() {
    var t = type.value;
    var derived = t === "resident" || t === "hmt_residence";
    show("birth_date", !derived);
    show("sex", !derived);
    show("foreign_permit_type", t === "passport");
    show("foreign_permit_number", t === "passport");
  }
  type.addEventListener("change", update);
  update();
})();
