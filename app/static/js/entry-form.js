/* Entry forms, as progressive enhancement: every form works and submits without this file.
   - count boxes: a live total, and the content selected on focus and on every tap, so a tap
     anywhere then typing 12 gives 12;
   - folded checkbox groups: "Chosen: N" in their summary as boxes are ticked;
   - activity form: recommendations ticked from the type and the groups taking part, by the one
     mapping the page carries (data-suggest, rendered from app/vocabulary.py), never unticking
     what the volunteer chose by hand;
   - assessment form: a concern's trend shown once it is rated, "N of 16 rated" per group and overall;
   - a confirmation before deleting a draft.
   entry-drafts.js sends "entry-form:restored" after putting back a kept draft: everything is
   recounted then. */
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  /* "%(num)d of %(total)d rated" -> "5 of 16 rated" (translated wording from the page). */
  function fill(template, values) {
    return template.replace(/%\((\w+)\)[ds]/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  /* -- Counts ---------------------------------------------------------------------------------- */

  function updateTotal(grid) {
    var total = 0;
    each(grid.querySelectorAll("input[data-count]"), function (input) {
      var value = input.value.trim();
      if (/^[0-9]+$/.test(value)) {
        total += parseInt(value, 10);
      }
    });
    var output = grid.querySelector("[data-total]");
    if (output) {
      output.textContent = String(total);
    }
  }

  /* Select the box's content when it gets the focus (the Tab key) and on every tap or click
     (which put the caret where it landed, after the focus): typing then replaces the number. No
     timer, so nothing can select a digit already typed. */
  function selectOnFocus(input) {
    function selectAll() {
      try {
        input.setSelectionRange(0, input.value.length);
      } catch (e) {
        input.select();
      }
    }
    input.addEventListener("focus", selectAll);
    input.addEventListener("click", function () {
      // a drag over part of the number is left as it is
      if (input.selectionStart === input.selectionEnd) selectAll();
    });
  }

  var grids = document.querySelectorAll("[data-participants]");
  each(grids, function (grid) {
    grid.addEventListener("input", function () { updateTotal(grid); });
    each(grid.querySelectorAll("input[data-count]"), selectOnFocus);
    updateTotal(grid);
  });

  /* -- Folded checkbox groups ------------------------------------------------------------------ */

  function updateChosen(details) {
    var output = details.querySelector("[data-chosen-count]");
    if (!output) return;
    var num = details.querySelectorAll("input[type=checkbox]:checked").length;
    output.textContent = fill(output.getAttribute("data-template"), { num: num });
  }

  var foldedGroups = document.querySelectorAll("[data-choice-details]");
  each(foldedGroups, function (details) {
    details.addEventListener("change", function () { updateChosen(details); });
  });

  /* -- Recommendations ticked from the type and the groups -------------------------------------- */

  function setupSuggestions(form) {
    var box = form.querySelector("[data-suggest]");
    if (!box) return null;
    var map;
    try {
      map = JSON.parse(box.getAttribute("data-suggest"));
    } catch (e) {
      return null;
    }
    var boxes = box.querySelectorAll("input[type=checkbox]");
    var byHand = {};
    var byScript = {};

    function wanted() {
      var want = {};
      Object.keys(map).forEach(function (name) {
        each(form.querySelectorAll('[name="' + name + '"]'), function (control) {
          var isBox = control.type === "checkbox" || control.type === "radio";
          var value = isBox ? (control.checked ? control.value : "") : control.value;
          if (value && Object.prototype.hasOwnProperty.call(map[name], value)) {
            map[name][value].forEach(function (code) { want[code] = true; });
          }
        });
      });
      return want;
    }

    /* What is already ticked, or suggested but left unticked, was the volunteer's choice. */
    function learn() {
      var want = wanted();
      byHand = {};
      byScript = {};
      each(boxes, function (input) {
        if (input.checked || want[input.value]) byHand[input.value] = true;
      });
    }

    function apply() {
      var want = wanted();
      each(boxes, function (input) {
        var code = input.value;
        if (byHand[code]) return;
        if (want[code] && !input.checked) {
          input.checked = true;
          byScript[code] = true;
        } else if (!want[code] && byScript[code]) {
          input.checked = false;
          delete byScript[code];
        }
      });
      updateChosen(box);
    }

    box.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") {
        byHand[event.target.value] = true;
        delete byScript[event.target.value];
      }
    });
    form.addEventListener("change", function (event) {
      if (Object.prototype.hasOwnProperty.call(map, event.target.name)) apply();
    });
    each(box.querySelectorAll("[data-suggest-hint]"), function (hint) { hint.hidden = false; });
    learn();
    return learn;
  }

  /* -- Assessment: trend once rated, progress ----------------------------------------------------- */

  function setupConcerns(form) {
    var section = form.querySelector("[data-concerns]");
    if (!section) return null;
    var template = section.getAttribute("data-template");

    function isRated(row) {
      var checked = row.querySelector(".rating-choices input:checked");
      return Boolean(checked) && /^[0-3]$/.test(checked.value);
    }

    function update() {
      var rated = 0;
      var total = 0;
      each(section.querySelectorAll("[data-concern-group]"), function (group) {
        var rows = group.querySelectorAll("[data-driver-row]");
        var num = 0;
        each(rows, function (row) {
          var yes = isRated(row);
          if (yes) num += 1;
          var trend = row.querySelector("[data-trend]");
          if (trend) trend.hidden = !yes;
        });
        var output = group.querySelector("[data-group-progress]");
        if (output) output.textContent = fill(template, { num: num, total: rows.length });
        rated += num;
        total += rows.length;
      });
      var progress = section.querySelector("[data-progress]");
      if (progress) progress.textContent = fill(template, { num: rated, total: total });
    }

    section.addEventListener("change", update);
    update();
    return update;
  }

  each(document.querySelectorAll("form.entry-form"), function (form) {
    var relearn = setupSuggestions(form);
    var recount = setupConcerns(form);
    form.addEventListener("entry-form:restored", function () {
      each(grids, updateTotal);
      each(foldedGroups, updateChosen);
      if (relearn) relearn();
      if (recount) recount();
    });
  });

  /* -- Confirm before deleting ------------------------------------------------------------------ */

  each(document.querySelectorAll("form[data-confirm]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
