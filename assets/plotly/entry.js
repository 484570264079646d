// The dashboard's plotly.js: core (scatter, the axes, legend, hover, colour bars) plus the two
// other trace types reports/charts.py draws. Add a trace here only when a chart needs it.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap')]);

module.exports = Plotly;
