// Builds ../../assets/04-plotly.min.js from entry.js (esbuild, as plotly.js builds its own partial bundles).
const esbuild = require('esbuild');
const { version } = require('plotly.js/package.json');

esbuild.build({
    entryPoints: [`${__dirname}/entry.js`],
    outfile: `${__dirname}/../../assets/04-plotly.min.js`,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    target: 'es2016',
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    alias: { stream: 'stream-browserify' },
    loader: { '.css': 'empty' },  // map traces' stylesheet, which no page uses
    banner: { js: `/* plotly.js ${version} (MIT), partial bundle of the traces in frontend/plotly/entry.js */` },
    legalComments: 'eof',
    logLevel: 'info',
}).catch(() => process.exit(1));
