/* Dashboard: draw the figures the server computed (already suppressed for donors). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-figures");
  if (!source || !window.Plotly) { return; }
  var figures = JSON.parse(source.textContent);
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var figure = figures[element.getAttribute("data-chart")];
    if (figure) { window.Plotly.newPlot(element, figure.data, figure.layout, config); }
  });
})();
