// `npm run bench:auto-block`: what auto-blocking costs a page. A page of 1,500 elements
// (in the HTML) whose own script then builds 1,500 more with createElement, appendChild,
// setAttribute and innerHTML, loaded with the gate for a returning visitor (analytics
// granted, advertising refused): without any URL pattern in the config, and with 12
// patterns over 6 services; and the same three pages without the building script
// ("HTML only": the page of 1,500 elements issue 16 names). Prints the median main-thread script time (CDP
// Performance.getMetrics ScriptDuration) and the page script's own time, at 1x and
// 4x CPU. Needs a built dist/ (`npm run build`). Not part of `npm test`.
// First it prints what auto-blocking adds to the gate: dist/consentkit.js bundled as the
// build does (rollup.config.mjs), and again with src/gate/blocker/auto-block.ts replaced
// by a function that does nothing, both gzipped at level 9 (as `npm run size`), and what the
// floor of auto-blocking (bench/floor/auto-block-floor.js) would add in its place.
//
//   BENCH_RUNS=15        runs per page and CPU setting
//   BENCH_BASELINE=dir   also time the gate in dir/consentkit.js (another build's dist/,
//                        say main's), without and with the 12 patterns (and with them on the
//                        page of 1,500 alone), in the same interleaved runs
//   --size               print the bytes only
//   --floor-dist dir     write dist/ to dir with the floor of auto-blocking (bench/floor/
//                        auto-block-floor.js) in the gate's place, print the bytes, and stop
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { rollup } from 'rollup';
import { CHROME_ARGS, findChrome } from '../scripts/find-chrome.mjs';
import { createStaticServer, listen, staticHandler } from '../scripts/static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// rollup.config.mjs names its inputs from the repository's root.
process.chdir(root);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 15));
const BASELINE = process.env.BENCH_BASELINE && resolve(process.env.BENCH_BASELINE);

/** The floor of auto-blocking's bytes (see its header), whole or without the paths issue 16 does not name. */
const FLOOR = readFileSync(join(root, 'bench/floor/auto-block-floor.js'), 'utf8');
const FLOOR_LISTED = FLOOR.replace(/\n *\/\/ beyond the issue's list\n[^]*?\n *\/\/ end of the list\n/, '\n');
if (FLOOR_LISTED == FLOOR) throw new Error("bench/floor/auto-block-floor.js has lost its `beyond the issue's list` markers");

/** A rollup plugin that gives the gate `code` in the place of its auto-blocking module. */
const autoBlockAs = (code) => ({
  name: 'auto-block-replaced',
  load: (id) => (id.endsWith('/gate/blocker/auto-block.js') ? code : null),
});
const { default: configs } = await import('../rollup.config.mjs');
const gate = configs.find((c) => c.output.file == 'dist/consentkit.js');
/** The gate as the build makes it (rollup.config.mjs), with `plugins` first. */
const gateCode = async (plugins = []) => {
  const bundle = await rollup({ input: gate.input, plugins: [...plugins, ...gate.plugins], onwarn: () => undefined });
  const { output } = await bundle.generate({ ...gate.output, file: undefined });
  return output[0].code;
};
const gzipped = async (plugins) => gzipSync(await gateCode(plugins), { level: 9 }).length;

// The gate as built, and with `startAutoBlock` doing nothing (tree-shaking drops the rest).
const bytes = {
  with: await gzipped(),
  without: await gzipped([autoBlockAs("export const SELECTOR = ''; export function startAutoBlock() {}")]),
  floor: await gzipped([autoBlockAs(FLOOR)]),
  floorListed: await gzipped([autoBlockAs(FLOOR_LISTED)]),
};
console.log(`the gate: ${bytes.with} B gzip, ${bytes.without} B without auto-blocking: auto-blocking is ${bytes.with - bytes.without} B`);
console.log(
  `the floor of auto-blocking (bench/floor/auto-block-floor.js): ${bytes.floor - bytes.without} B with every path the gate blocks, ` +
    `${bytes.floorListed - bytes.without} B with only those issue 16 lists`,
);
const floorDist = process.argv.includes('--floor-dist') ? (process.argv[process.argv.indexOf('--floor-dist') + 1] ?? '') : undefined;
if (floorDist !== undefined) {
  if (!floorDist) throw new Error('--floor-dist needs a directory');
  cpSync(join(root, 'dist'), floorDist, { recursive: true });
  writeFileSync(join(floorDist, 'consentkit.js'), await gateCode([autoBlockAs(FLOOR)]));
  console.log(`${floorDist}: dist/ with the floor's gate (CONSENTKIT_DIST=${resolve(floorDist)} npx playwright test test/e2e/auto-block.test.ts)`);
}
if (process.argv.includes('--size') || floorDist !== undefined) process.exit(0);
const { encodeChoice } = await import(join(root, 'dist/esm/gate/core/choice.js'));

const services = (withUrls) => [
  { id: 'necessary', required: true },
  {
    id: 'analytics',
    services: [
      { id: 'ga4', ...(withUrls && { urls: ['www.googletagmanager.com/gtag/js', 'google-analytics.com', 'analytics.google.com'] }) },
      { id: 'hotjar', ...(withUrls && { urls: ['static.hotjar.com', 'script.hotjar.com'] }) },
    ],
  },
  {
    id: 'advertising',
    services: [
      { id: 'meta', ...(withUrls && { urls: ['connect.facebook.net', 'www.facebook.com/tr'] }) },
      { id: 'gads', ...(withUrls && { urls: ['googleads.g.doubleclick.net', 'www.googleadservices.com'] }) },
      { id: 'tiktok', ...(withUrls && { urls: ['analytics.tiktok.com'] }) },
      { id: 'linkedin', ...(withUrls && { urls: ['snap.licdn.com', 'px.ads.linkedin.com'] }) },
    ],
  },
];
const config = (withUrls) => ({ revision: 1, categories: services(withUrls) });

/** 1,500 elements: a list of products with links, images (first-party) and text. */
const body = Array.from(
  { length: 300 },
  (_, i) => `<article><h2>Product ${i}</h2><img src="/img/${i}.gif" alt=""><p>Text <a href="/p/${i}">more</a></p></article>`,
).join('\n');
/** The page's own script: 300 more articles built by code, half with the DOM API, half with innerHTML. */
const build = `<script>
  performance.mark('build-start');
  const main = document.querySelector('main');
  for (let i = 0; i < 150; i++) {
    const article = document.createElement('article');
    const h = document.createElement('h2'); h.textContent = 'Built ' + i; article.appendChild(h);
    const img = document.createElement('img'); img.setAttribute('src', '/img/b' + i + '.gif'); img.alt = ''; article.append(img);
    const p = document.createElement('p'); p.textContent = 'Text'; article.appendChild(p);
    const a = document.createElement('a'); a.href = '/p/b' + i; a.textContent = 'more'; p.append(a);
    main.appendChild(article);
  }
  for (let i = 0; i < 150; i++)
    main.insertAdjacentHTML('beforeend', '<article><h2>Html ' + i + '</h2><img src="/img/h' + i + '.gif" alt=""><p>Text <a href="/p/h' + i + '">more</a></p></article>');
  performance.measure('build', 'build-start');
</script>`;
const page = (gate, dir = 'dist', built = true) => `<!doctype html><html lang="en"><head><title>bench</title>
${gate ? `<script type="application/json" id="consentkit-config">${JSON.stringify(config(gate == 'urls'))}</script><script src="/${dir}/consentkit.js"></script>` : ''}
</head><body><main>${body}</main>${built ? build : ''}</body></html>`;
const variants = {
  'no consent tool': page(null),
  'gate, no URL patterns': page('plain'),
  'gate, 12 URL patterns': page('urls'),
  // The page of 1,500 elements that issue 16 names, without the script that builds more.
  'no consent tool, HTML only': page(null, 'dist', false),
  'gate, no URL patterns, HTML only': page('plain', 'dist', false),
  'gate, 12 URL patterns, HTML only': page('urls', 'dist', false),
  ...(BASELINE && {
    'baseline gate, no URL patterns': page('plain', 'baseline'),
    'baseline gate, 12 URL patterns': page('urls', 'baseline'),
    'baseline gate, 12 URL patterns, HTML only': page('urls', 'baseline', false),
  }),
};

const server = createStaticServer([
  (req, res, url) => {
    const html = variants[decodeURIComponent(url.pathname.slice(1))];
    if (html) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return true;
    }
    if (url.pathname.startsWith('/img/') || url.pathname.startsWith('/p/')) {
      res.writeHead(204, { 'cache-control': 'max-age=3600' });
      res.end();
      return true;
    }
    return false;
  },
  staticHandler('/dist/', join(root, 'dist')),
  ...(BASELINE ? [staticHandler('/baseline/', BASELINE)] : []),
]);
const port = await listen(server, 0, '127.0.0.1');
const origin = `http://127.0.0.1:${port}`;

const browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, headless: true });
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
try {
  console.log(`auto-blocking bench: ${RUNS} runs per page and CPU setting, medians in ms`);
  console.log('| CPU | page | script time | page script (build) |');
  console.log('| --- | --- | ---: | ---: |');
  for (const throttle of [1, 4]) {
    const results = Object.fromEntries(Object.keys(variants).map((name) => [name, { script: [], build: [] }]));
    // Interleaved so that drift on a shared machine hits every page alike; one warm-up round.
    for (let run = -1; run < RUNS; run++)
      for (const name of Object.keys(variants)) {
        const ctx = await browser.newContext();
        await ctx.addCookies([{ name: 'consentkit', value: encodeChoice(acceptedAnalytics()), url: origin }]);
        const p = await ctx.newPage();
        const cdp = await ctx.newCDPSession(p);
        await cdp.send('Performance.enable');
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
        await p.goto(`${origin}/${encodeURIComponent(name)}`, { waitUntil: 'load' });
        const { metrics } = await cdp.send('Performance.getMetrics');
        const build = await p.evaluate(() => performance.getEntriesByName('build')[0]?.duration ?? 0);
        if (run >= 0) {
          results[name].script.push(metrics.find((m) => m.name == 'ScriptDuration').value * 1000);
          results[name].build.push(build);
        }
        await ctx.close();
      }
    for (const [name, r] of Object.entries(results))
      console.log(`| ${throttle}x | ${name} | ${median(r.script).toFixed(1)} | ${median(r.build).toFixed(1)} |`);
  }
} finally {
  await browser.close();
  server.close();
}

/** A stored choice: analytics granted, advertising refused (the 1x time in the gate includes reading it). */
function acceptedAnalytics() {
  const now = Date.now();
  return {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    createdAt: Math.floor(now / 1000) * 1000,
    updatedAt: Math.floor(now / 1000) * 1000,
    revision: '1',
    action: 'custom',
    source: 'banner',
    gpc: false,
    categories: { necessary: true, analytics: true, advertising: false },
    services: { ga4: true, hotjar: true, meta: false, gads: false, tiktok: false, linkedin: false },
  };
}
