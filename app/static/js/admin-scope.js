/* Admin user forms: show only the scope fields the chosen role uses (data-scope-for lists the
   roles of each box); a hidden box's choices are cleared. Without JavaScript every field shows. */
(function () {
  "use strict";
  var role = document.getElementById("role");
  if (!role) { return; }
  function update() {
    document.querySelectorAll("[data-scope-for]").forEach(function (box) {
      var show = !role.value || box.dataset.scopeFor.split(" ").indexOf(role.value) >= 0;
      box.hidden = !show;
      if (!show) { box.querySelectorAll("select").forEach(function (s) { s.value = ""; }); }
    });
  }
  role.addEventListener("change", update);
  update();
})();
