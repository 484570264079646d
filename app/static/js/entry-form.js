/* Entry forms: a live total under the participant grid, and a confirmation before deleting a draft.
   Everything works without this file; it only improves the page. */
(function () {
  "use strict";

  function updateTotal(grid) {
    var total = 0;
    var inputs = grid.querySelectorAll("input[data-count]");
    for (var i = 0; i < inputs.length; i++) {
      var value = inputs[i].value.trim();
      if (/^\d+$/.test(value)) {
        total += parseInt(value, 10);
      }
    }
    var output = grid.querySelector("[data-total]");
    if (output) {
      output.textContent = String(total);
    }
  }

  var grids = document.querySelectorAll("[data-participants]");
  for (var g = 0; g < grids.length; g++) {
    (function (grid) {
      grid.addEventListener("input", function () { updateTotal(grid); });
      updateTotal(grid);
    })(grids[g]);
  }

  var confirmForms = document.querySelectorAll("form[data-confirm]");
  for (var f = 0; f < confirmForms.length; f++) {
    confirmForms[f].addEventListener("submit", function (event) {
      if (!window.confirm(this.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }
})();
