/* A background export's page (dashboard/export_job.html): follows the job through its JSON
   (data-export-status) and moves the progress bar; once the job is finished (ready, failed or
   expired) the page is loaded again and shows the download button or the message. Asks every
   second, less often while nothing changes (up to every 5 s) or the server does not answer (up to
   every 30 s). Without JavaScript the page reloads itself (<noscript> refresh). */
(function () {
  "use strict";
  var box = document.querySelector("[data-export-status]");
  if (!box || !window.fetch) { return; }
  var url = box.dataset.exportStatus;
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-export-percent]");
  var rows = box.querySelector("[data-export-rows]");
  var label = box.querySelector("[data-export-label]");
  var FIRST = 1000, QUIET = 5000, BROKEN = 30000;
  var delay = FIRST, last = "";

  function show(state) {
    if (label) { label.textContent = state.label; }
    if (bar) {
      if (state.progress === null) { bar.removeAttribute("value"); } else { bar.value = state.progress; }
      bar.textContent = state.percent_text;
    }
    if (percent) { percent.textContent = state.percent_text; }
    if (rows) { rows.textContent = state.rows_text; }
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        if (!state.active) { window.location.reload(); return; }
        var now = [state.status, state.progress, state.rows_text].join("|");
        delay = now === last ? Math.min(delay * 1.5, QUIET) : FIRST;
        last = now;
        show(state);
        window.setTimeout(ask, delay);
      })
      .catch(function () {
        delay = Math.min(Math.max(delay, FIRST) * 2, BROKEN);
        window.setTimeout(ask, delay);
      });
  }

  window.setTimeout(ask, FIRST);
})();
