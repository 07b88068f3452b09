// The Plotly bundle the dashboard loads (assets/04-plotly.min.js): plotly.js's core (which holds the scatter
// trace) and only the trace types the pages draw. dcc.Graph uses a `window.Plotly` it finds instead of loading
// the full 4.8 MB bundle when the first chart appears; this one is 1.2 MB. A page drawing a new trace type adds
// it here (tests/dashboard/test_plotly_bundle.py fails until it does) and rebuilds: `make plotly-bundle`.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/funnel'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/histogram'),
]);

module.exports = Plotly;
