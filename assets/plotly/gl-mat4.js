// plotly.js's 2-D code uses two functions of gl-mat4, whose index requires all forty.
'use strict';

module.exports = { invert: require('gl-mat4/invert'), multiply: require('gl-mat4/multiply') };
