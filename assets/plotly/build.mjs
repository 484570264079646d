// Builds app/static/vendor/plotly-yntymak-<version>.min.js from entry.js (`make plotly-bundle`).
// The output is committed: CI and the tablets never run npm.
import { readFileSync, writeFileSync, readdirSync, unlinkSync, copyFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const vendor = join(here, '..', '..', 'app', 'static', 'vendor');
const version = JSON.parse(readFileSync(require.resolve('plotly.js/package.json'), 'utf8')).version;
const outfile = join(vendor, `plotly-yntymak-${version}.min.js`);
const licence = readFileSync(require.resolve('plotly.js/LICENSE'), 'utf8');
const copyright = licence.split('\n').find((line) => line.startsWith('Copyright')).trim().replace(/\.$/, '');

// plotly.js injects maplibre's stylesheet only when a map trace is registered; we register none.
const noMapStyles = {
  name: 'no-map-styles',
  setup(build) {
    build.onResolve({ filter: /maplibre-gl\.css$/ }, (args) => ({ path: args.path, namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
  },
};

// plotly.js requires all of culori and of gl-mat4 for a handful of their functions: these two
// modules (culori.mjs, gl-mat4.js) hand it just those, with the same code.
const slimDependencies = {
  name: 'slim-dependencies',
  setup(build) {
    build.onResolve({ filter: /^culori$/ }, () => ({ path: join(here, 'culori.mjs') }));
    build.onResolve({ filter: /^gl-mat4$/ }, () => ({ path: join(here, 'gl-mat4.js') }));
  },
};

// A strict Content-Security-Policy (app/headers.py) refuses every `style="..."` attribute, and
// plotly.js 4.1 still writes two: the heatmap's pixelated image and the colour bar's fills. Set
// through the CSSOM instead (allowed), or removed; the build stops if the code has moved.
const styleAttributes = [
  ['traces/heatmap/plot.js', "image3.attr('style', PIXELATED_IMAGE_STYLE);", "image3.style('image-rendering', 'pixelated');"],
  ['components/colorbar/draw.js', ".attr('style', '')", ".attr('style', null)"],
];
const noStyleAttributes = {
  name: 'no-style-attributes',
  setup(build) {
    for (const [file, before, after] of styleAttributes) {
      const filter = new RegExp(file.replace(/[/.]/g, (c) => '\\' + c) + '$');
      build.onLoad({ filter }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(before)) { throw new Error(`${file}: "${before}" not found; update build.mjs`); }
        return { contents: source.split(before).join(after), loader: 'js' };
      });
    }
  },
};

const result = await esbuild.build({
  entryPoints: [join(here, 'entry.js')],
  outfile,
  bundle: true,
  format: 'iife',
  globalName: 'Plotly',
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  target: 'es2018',
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  alias: { stream: 'stream-browserify' },
  plugins: [noMapStyles, slimDependencies, noStyleAttributes],
  // The bundle defines `YntymakPlotly()`, which sets up plotly.js and returns it, rather than
  // setting it up as it loads: app/static/js/dashboard.js calls it when the first chart comes near
  // the screen, so a phone showing the headline figures spends no ~400 ms on charts not yet seen
  // (loading it costs only V8's quick pre-parse of the functions it will compile when called).
  banner: {
    js: `/*! plotly.js v${version} (core + bar + heatmap), built for Yntymak by assets/plotly/build.mjs. ` +
      `${copyright}. Released under the MIT License: plotly-LICENSE.txt */\n` +
      'window.YntymakPlotly = function () {',
  },
  footer: { js: 'return Plotly;\n};' },
  metafile: true,
  logLevel: 'warning',
});

// Only one bundle at a time in the vendor folder.
for (const name of readdirSync(vendor)) {
  if (/^plotly-.*\.min\.js(\.br|\.gz)?$/.test(name) && !join(vendor, name).startsWith(outfile)) {
    unlinkSync(join(vendor, name));
  }
}
// Precompressed once here at the best levels; app/static_files.py sends them as they are.
const bundle = readFileSync(outfile);
const brotli = brotliCompressSync(bundle, {
  params: {
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_SIZE_HINT]: bundle.length,
  },
});
writeFileSync(`${outfile}.br`, brotli);
const gzip = gzipSync(bundle, { level: 9 });
writeFileSync(`${outfile}.gz`, gzip);
copyFileSync(require.resolve('plotly.js/LICENSE'), join(vendor, 'plotly-LICENSE.txt'));
// plotly.js's own rules, as a file: the page marks them present, so the bundle adds no <style> (strict CSP).
copyFileSync(require.resolve('plotly.js/dist/plotly.css'), join(vendor, `plotly-${version}.css`));
writeFileSync(join(here, 'meta.json'), JSON.stringify(result.metafile));
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(
  `${outfile.slice(join(here, '..', '..').length + 1)}: ${kib(bundle.length)}, ` +
    `${kib(brotli.length)} Brotli, ${kib(gzip.length)} gzip`,
);
