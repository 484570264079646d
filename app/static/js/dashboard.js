/* Dashboard: draw the figures the server computed (already suppressed for donors).

   Loaded with `defer` right after the deferred plotly bundle, so the bundle is there when this
   runs; the bundle only defines `YntymakPlotly()` (assets/plotly/build.mjs), called here, in a
   task of its own, when the first chart comes near the screen.
   Each card's heading is the chart's title, so the figure is drawn without its own; there is no
   mode bar (on a phone it covers the plot and its zoom fights the page's scrolling), and the
   numbers are in the card's "Show as table". A figure asking for a minimum width (the drivers
   heatmap, one column per region) gets it, and its frame scrolls sideways inside the card.
   Each chart is drawn in a task of its own when it comes near the screen, so a phone draws what
   it shows and the page keeps answering; printing draws them all. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-figures");
  if (!source) { return; }
  var figures = JSON.parse(source.textContent);
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  // Each chart's space, known from the server: set here, as the policy allows no style attribute.
  charts.forEach(function (element) { element.style.height = element.getAttribute("data-height") + "px"; });

  if (!window.Plotly && typeof window.YntymakPlotly !== "function") {
    // The bundle did not load: the tables still say everything.
    charts.forEach(function (element) {
      var card = element.closest("figure");
      element.parentNode.hidden = true;
      var details = card && card.querySelector("details");
      if (details) { details.open = true; }
    });
    return;
  }

  var config = { responsive: true, displayModeBar: false, displaylogo: false, scrollZoom: false };

  function figureOf(element) { return figures[element.getAttribute("data-chart")]; }

  function pageLayout(layout) {
    var meta = layout.meta || {};
    var copy = Object.assign({}, layout, { margin: Object.assign({}, layout.margin) });
    delete copy.title;
    if (meta.page_margin_top !== undefined) { copy.margin.t = meta.page_margin_top; }
    return copy;
  }

  function fitFrame(element) {
    var meta = figureOf(element).layout.meta || {};
    var frame = element.parentNode;
    if (meta.min_width) { element.style.minWidth = meta.min_width + "px"; }
    var scrolls = frame.scrollWidth > frame.clientWidth + 1;
    frame.classList.toggle("is-scrolling", scrolls);
    if (scrolls) {  // wider than the card: keyboards can scroll it too
      frame.setAttribute("tabindex", "0");
      frame.setAttribute("role", "group");
      frame.setAttribute("aria-labelledby", element.closest("figure").getAttribute("aria-labelledby"));
    } else {
      ["tabindex", "role", "aria-labelledby"].forEach(function (name) { frame.removeAttribute(name); });
    }
  }

  function plotly() {
    if (!window.Plotly) { window.Plotly = window.YntymakPlotly(); }
    return window.Plotly;
  }

  function isDrawn(element) { return element.hasAttribute("data-drawn"); }

  function draw(element) {
    var figure = figureOf(element);
    if (isDrawn(element) || !figure) { return; }
    element.setAttribute("data-drawn", "");
    fitFrame(element);
    plotly().newPlot(element, figure.data, pageLayout(figure.layout), config);
  }

  var queue = [];
  function next() {
    if (window.Plotly) {
      var element = queue.shift();
      if (element) { draw(element); }
    } else {
      plotly();  // plotly.js is set up in a task of its own, then the first chart is drawn
    }
    if (queue.length) { window.setTimeout(next, 0); }
  }
  function request(element) {
    queue.push(element);
    if (queue.length === 1) { window.setTimeout(next, 0); }
  }

  if ("IntersectionObserver" in window) {
    var observer = new window.IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); request(entry.target); }
      });
    }, { rootMargin: "400px 0px" });
    charts.forEach(function (element) { observer.observe(element); });
  } else {
    charts.forEach(request);
  }
  window.addEventListener("beforeprint", function () { charts.forEach(draw); });

  var pending = null;
  window.addEventListener("resize", function () {  // a phone turned sideways may no longer scroll
    window.clearTimeout(pending);
    pending = window.setTimeout(function () { charts.filter(isDrawn).forEach(fitFrame); }, 200);
  });
})();
