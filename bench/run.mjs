// `npm run bench`: loads benchmark pages in the system Chromium (playwright-core)
// side by side with a control page that has no consent tool, and prints medians,
// p90, min, max and the ratio to the control page as markdown tables. Raw results
// go to bench/results/<date>.json (git-ignored).
//
//   BENCH_RUNS=15      runs per page and CPU setting (at least 15 for docs/performance.md)
//   BENCH_SKIP_BUILD=1 reuse dist/ as it is
//   BENCH_VARIANTS=0,2 run only these pages (indexes into `variants` below)
//   BENCH_THROTTLE=4   run only this CPU slowdown (default: 1 and 4)
//   BENCH_BASELINE=<dist dir>  also time another build's visits (returning and first, plain
//                      and `defer`) in the same runs, its gate and parts served from that dir
//
// Beside consentkit's pages: the floor (bench/floor/consentkit-floor.js, a minimal activator
// of marked scripts in the tag's place: what the design costs, whatever the tag does), and
// returning visits with a warm cache (the page's files cacheable and loaded once before in
// the same profile), each compared with the control page loaded the same way.
//
// Runs are interleaved (control, first visit, returning, deferred, …, in an order
// that rotates every round, after one uncounted warm-up round) so that drift on a
// shared machine hits every page alike. Timings come from the
// page's own Performance APIs; the tag's script time and long tasks come from a
// Chromium trace of the page's main thread, attributed to the tag when a task
// evaluates or calls into a consentkit file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../scripts/find-chrome.mjs';
import { createStaticServer, listen, staticHandler } from '../scripts/static-server.mjs';
import { acceptedChoice, marked, pages } from './pages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 15));
const THROTTLES = process.env.BENCH_THROTTLE ? [Number(process.env.BENCH_THROTTLE)] : [1, 4];
if (RUNS < 15) console.warn(`bench: ${RUNS} runs per page; docs/performance.md quotes 15 or more.`);

if (!process.env.BENCH_SKIP_BUILD) {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform == 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const { encodeChoice } = await import(join(root, 'dist/esm/gate/core/choice.js'));

// ---- server -----------------------------------------------------------------
const BASELINE = process.env.BENCH_BASELINE;
/** What the files of a warm page are served with: a returning visitor's browser keeps them. */
const CACHEABLE = { 'cache-control': 'max-age=3600' };
const html = pages();
if (BASELINE)
  for (const page of ['consentkit', 'consentkit-defer'])
    html[`/baseline-${page}.html`] = html[`/${page}.html`].replaceAll('/dist/', '/baseline/');
const server = createStaticServer([
  (req, res, url) => {
    if (url.pathname in html) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html[url.pathname]);
      return true;
    }
    const m = /^(\/warm)?\/bench\/ext\/(\d+)\.js$/.exec(url.pathname);
    if (m) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': m[1] ? CACHEABLE['cache-control'] : 'no-store' });
      res.end(marked(Number(m[2])));
      return true;
    }
    return false;
  },
  staticHandler('/dist/', join(root, 'dist')),
  staticHandler('/floor/', join(root, 'bench/floor')),
  staticHandler('/warm/dist/', join(root, 'dist'), { headers: CACHEABLE }),
  staticHandler('/warm/floor/', join(root, 'bench/floor'), { headers: CACHEABLE }),
  ...(BASELINE ? [staticHandler('/baseline/', BASELINE)] : []),
]);
const port = await listen(server, 0, '127.0.0.1');
const origin = `http://127.0.0.1:${port}`;

// ---- measurement -------------------------------------------------------------
/** Installed before any page script: collects paint, LCP, CLS, banner and script-run times. */
function probe(wantsBanner) {
  const m = (window.__bench = { ran: [], cls: 0, shifts: 0, lcp: 0, fcp: 0, bannerVisible: 0, bannerInteractive: 0, click: 0 });
  window.__ran = m.ran;
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name == 'first-contentful-paint') m.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) m.lcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries())
      if (!e.hadRecentInput) {
        m.cls += e.value;
        m.shifts++;
      }
  }).observe({ type: 'layout-shift', buffered: true });
  addEventListener('click', () => (m.click = performance.now()), true);
  // The banner is found by its CSS parts, inside open shadow roots.
  const find = (sel, node = document) => {
    const hit = node.querySelector(sel);
    if (hit) return hit;
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) {
      const inner = find(sel, el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  // Visible: the first frame in which the panel has a box. Interactive: the accept
  // button is there and enabled, and the task that drew it has ended, so a click
  // would be handled now (a task queued from that frame has run).
  const tick = () => {
    const banner = find('[part~="banner"]');
    const accept = find('[part~="accept-all"]');
    if (banner && banner.getBoundingClientRect().height > 0 && accept && !accept.disabled) {
      m.bannerVisible = performance.now();
      setTimeout(() => (m.bannerInteractive = performance.now()));
    } else requestAnimationFrame(tick);
  };
  // Pages without a banner are not polled, so the probe costs them nothing.
  if (wantsBanner) requestAnimationFrame(tick);
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'loading'];
const TAG_URL = /\/(dist|baseline|floor)\/consentkit/;
const isTag = (e) => TAG_URL.test(e.args?.data?.url ?? e.args?.data?.scriptName ?? e.args?.fileName ?? '');
const TAG_WORK = new Set(['EvaluateScript', 'FunctionCall', 'v8.compile', 'v8.run', 'TimerFire', 'EventDispatch', 'v8.callFunction']);

/**
 * Script time, long tasks and TBT from a Chromium trace. The page's main thread is
 * the one that painted its first contentful paint (a new context may first run
 * about:blank in another renderer). Durations are wall time (`dur`); `tdur`
 * (thread time) is kept as the CPU figure, which descheduling on a shared machine
 * does not inflate.
 */
function analyseTrace(buffer) {
  const events = JSON.parse(buffer.toString()).traceEvents ?? [];
  const fcp = events.find((e) => e.name == 'firstContentfulPaint');
  if (!fcp) throw new Error('bench: no firstContentfulPaint in the trace');
  const onMain = events.filter((e) => e.pid == fcp.pid && e.tid == fcp.tid && e.ph == 'X');
  const tasks = onMain.filter((e) => e.name == 'RunTask');
  const work = onMain.filter((e) => TAG_WORK.has(e.name) && isTag(e)).sort((a, b) => a.ts - b.ts);
  // Tag time per task, nested events (a FunctionCall inside an EvaluateScript) counted once.
  const perTask = new Map();
  let wall = 0;
  let cpu = 0;
  let end = 0;
  for (const w of work) {
    if (w.ts + w.dur <= end) continue;
    const share = (w.ts + w.dur - Math.max(w.ts, end)) / w.dur;
    wall += (share * w.dur) / 1000;
    cpu += (share * (w.tdur ?? w.dur)) / 1000;
    end = w.ts + w.dur;
    const task = tasks.find((t) => w.ts >= t.ts && w.ts < t.ts + t.dur);
    if (task) perTask.set(task, (perTask.get(task) ?? 0) + (share * w.dur) / 1000);
  }
  const long = tasks.filter((t) => t.dur > 50_000);
  const tagTasks = [...perTask.keys()];
  return {
    tagScriptMs: wall,
    tagScriptCpuMs: cpu,
    tagLongTasks: tagTasks.filter((t) => t.dur > 50_000).length,
    tagLongestTaskMs: Math.max(0, ...tagTasks.map((t) => t.dur / 1000)),
    tagLongestShareMs: Math.max(0, ...perTask.values()),
    longTasks: long.length,
    // Lighthouse counts from FCP to Time to Interactive; here from FCP to the end of
    // the trace (banner interactive, or 300 ms after load without a banner).
    tbtMs: long.filter((t) => t.ts >= fcp.ts).reduce((s, t) => s + (t.dur / 1000 - 50), 0),
  };
}

const distFile = (url) => {
  const path = new URL(url).pathname.replace(/^\/warm\//, '/');
  if (path.startsWith('/baseline/')) return readFileSync(join(BASELINE, path.slice('/baseline/'.length)));
  return readFileSync(path.startsWith('/floor/') ? join(root, 'bench', path) : join(root, path));
};

async function measure(browser, variant, throttle) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (variant.returning) {
    const value = encodeChoice(acceptedChoice());
    await ctx.addCookies([{ name: 'consentkit', value, url: origin }]);
  }
  const wantsBanner = !variant.returning && !/\/(control|floor|floor-inline)\.html$/.test(variant.path);
  const page = await ctx.newPage();
  await page.addInitScript(probe, wantsBanner);
  if (variant.warm) {
    // The visit before, which fills the HTTP cache: not measured. (A Playwright context keeps
    // no V8 code cache, so the gate is compiled again, as on a visitor's second visit.)
    await page.goto(`${origin}${variant.path}`, { waitUntil: 'load' });
    await page.waitForFunction((n) => window.__bench.ran.length >= n, variant.scripts, { timeout: 20_000 });
    await page.goto('about:blank');
  }
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const tagUrls = new Set();
  page.on('response', (r) => {
    if (/\/(dist|baseline|floor)\/(.*consentkit|i18n\/)/.test(r.url())) tagUrls.add(r.url());
  });
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.goto(`${origin}${variant.path}`, { waitUntil: 'load' });
  if (wantsBanner) await page.waitForFunction(() => window.__bench.bannerInteractive > 0, null, { timeout: 20_000 });
  else await page.waitForTimeout(300);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  const trace = analyseTrace(await browser.stopTracing());
  let acceptFirst = null;
  let acceptLast = null;
  if (wantsBanner) {
    await page.locator('[part~="accept-all"]').first().click();
    await page.waitForFunction((n) => window.__bench.ran.length >= n, variant.scripts, { timeout: 20_000 });
    const b = await page.evaluate(() => window.__bench);
    acceptFirst = Math.min(...b.ran) - b.click;
    acceptLast = Math.max(...b.ran) - b.click;
  } else {
    await page.waitForFunction((n) => window.__bench.ran.length >= n, variant.scripts, { timeout: 20_000 }).catch(async (e) => {
      throw new Error(`${await page.evaluate(() => window.__bench.ran.length)} of ${variant.scripts} scripts ran`, { cause: e });
    });
  }
  const b = await page.evaluate(() => window.__bench);
  // Without a banner: when the first and the last of the 20 scripts ran, counted from
  // navigation (the first shows what the tag costs the parser before the scripts).
  const scriptsFirst = wantsBanner ? null : Math.min(...b.ran);
  const scriptsDone = wantsBanner ? null : Math.max(...b.ran);
  const files = [...tagUrls].map(distFile);
  const bytes = (f) => files.reduce((s, buf) => s + f(buf), 0);
  await ctx.close();
  return {
    fcp: b.fcp,
    lcp: b.lcp,
    cls: b.cls,
    layoutShifts: b.shifts,
    scriptsFirst,
    scriptsDone,
    bannerVisible: wantsBanner ? b.bannerVisible : null,
    bannerInteractive: wantsBanner ? b.bannerInteractive : null,
    acceptToFirstScript: acceptFirst,
    acceptToLastScript: acceptLast,
    heapKiB: heap / 1024,
    tagBytesRaw: bytes((x) => x.length),
    tagBytesGzip: bytes((x) => gzipSync(x, { level: 9 }).length),
    tagBytesBrotli: bytes((x) => brotliCompressSync(x, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length),
    ...trace,
  };
}

// ---- statistics and output ---------------------------------------------------
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const stats = (xs) => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x));
  return v.length ? { median: quantile(v, 0.5), p90: quantile(v, 0.9), min: Math.min(...v), max: Math.max(...v) } : null;
};
const fmt = (x) => (x === null || x === undefined ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(x % 1 ? 2 : 0));

const browser = await chromium.launch({ executablePath: findChrome(), args: [...CHROME_ARGS], headless: true });
const version = browser.version();
const variants = [
  { name: 'control (no consent tool)', path: '/control.html', scripts: 20 },
  { name: 'consentkit, first visit', path: '/consentkit.html', scripts: 20 },
  { name: 'consentkit, returning visitor', path: '/consentkit.html', scripts: 20, returning: true },
  { name: 'consentkit with defer, first visit', path: '/consentkit-defer.html', scripts: 20 },
  { name: 'consentkit with defer, returning', path: '/consentkit-defer.html', scripts: 20, returning: true },
  { name: 'floor: minimal activator, returning', path: '/floor.html', scripts: 20, returning: true },
  { name: 'floor written into the page, returning', path: '/floor-inline.html', scripts: 20, returning: true },
  { name: 'control, warm cache', path: '/warm/control.html', scripts: 20, warm: true },
  { name: 'consentkit, returning, warm cache', path: '/warm/consentkit.html', scripts: 20, returning: true, warm: true, control: 'control, warm cache' },
  { name: 'floor, returning, warm cache', path: '/warm/floor.html', scripts: 20, returning: true, warm: true, control: 'control, warm cache' },
];
if (BASELINE)
  variants.push(
    { name: 'baseline, returning visitor', path: '/baseline-consentkit.html', scripts: 20, returning: true },
    { name: 'baseline with defer, returning', path: '/baseline-consentkit-defer.html', scripts: 20, returning: true },
    { name: 'baseline, first visit', path: '/baseline-consentkit.html', scripts: 20 },
    { name: 'baseline with defer, first visit', path: '/baseline-consentkit-defer.html', scripts: 20 },
  );
if (process.env.BENCH_VARIANTS) {
  const keep = new Set(process.env.BENCH_VARIANTS.split(',').map(Number));
  keep.add(0); // ratios need the control page
  // and the warm pages the warm control page
  for (const i of keep) if (variants[i]?.control) keep.add(variants.findIndex((v) => v.name == variants[i].control));
  variants.splice(0, variants.length, ...variants.filter((_, i) => keep.has(i)));
}
/** Loads that were measured again: a trace without a first contentful paint cannot be read. */
let remeasured = 0;
/**
 * `measure`, again (up to three times) when a load's trace holds no first contentful paint,
 * which happens now and then on a loaded machine; any other failure stops the run.
 */
async function measureAgainWithoutPaint(browser, variant, throttle) {
  for (let attempt = 1; ; attempt++)
    try {
      return await measure(browser, variant, throttle);
    } catch (e) {
      if (attempt >= 3 || !String(e).includes('no firstContentfulPaint')) throw new Error(`bench: ${variant.name}, ${throttle}x CPU: ${String(e)}`, { cause: e });
      remeasured++;
    }
}

const results = {};
try {
  for (const throttle of THROTTLES) {
    // One round first, not counted: the browser's first loads pay for its own warm-up.
    for (const v of variants) await measureAgainWithoutPaint(browser, v, throttle);
    for (let run = 0; run < RUNS; run++)
      // The order rotates each round, so no page always follows the same one.
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(i + run) % variants.length];
        const key = `${throttle}x|${v.name}`;
        (results[key] ??= []).push(await measureAgainWithoutPaint(browser, v, throttle));
        process.stderr.write(`\rbench: ${throttle}x CPU, run ${run + 1}/${RUNS}   `);
      }
  }
} finally {
  await browser.close();
  server.close();
}
process.stderr.write('\n');
if (remeasured) process.stderr.write(`bench: ${remeasured} load(s) measured again (no first contentful paint in the trace)\n`);

const METRICS = [
  ['tagBytesRaw', 'tag bytes, raw'],
  ['tagBytesGzip', 'tag bytes, gzip'],
  ['tagBytesBrotli', 'tag bytes, brotli'],
  ['fcp', 'FCP (ms)'],
  ['lcp', 'LCP (ms)'],
  ['cls', 'CLS'],
  ['layoutShifts', 'layout shifts'],
  ['bannerVisible', 'banner visible (ms)'],
  ['bannerInteractive', 'banner interactive (ms)'],
  ['acceptToFirstScript', 'accept → first script (ms)'],
  ['acceptToLastScript', 'accept → last script (ms)'],
  ['scriptsFirst', 'no banner: first script ran (ms)'],
  ['scriptsDone', 'no banner: 20 scripts run by (ms)'],
  ['tagScriptMs', 'tag script time, wall (ms)'],
  ['tagScriptCpuMs', 'tag script time, CPU (ms)'],
  ['tagLongTasks', 'tasks > 50 ms with tag code'],
  ['tagLongestTaskMs', 'longest task with tag code (ms)'],
  ['tagLongestShareMs', 'most tag time in one task (ms)'],
  ['longTasks', 'long tasks, whole page'],
  ['tbtMs', 'total blocking time after FCP (ms)'],
  ['heapKiB', 'JS heap (KiB)'],
];
/** Metrics also shown as a difference from the control page. */
const DELTA = new Set(['fcp', 'lcp', 'tbtMs', 'scriptsFirst', 'scriptsDone']);
const summary = {};
let out = `Benchmark: ${RUNS} interleaved runs per page, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, headless Chromium ${version}.\n`;
out += 'Cells: median (difference, ratio to control), then p90 and min–max.\n';
for (const throttle of THROTTLES) {
  out += `\n### CPU ${throttle}x${throttle > 1 ? ' (throttled)' : ''}\n\n`;
  out += `| metric | ${variants.map((v) => v.name).join(' | ')} |\n|---|${variants.map(() => '---').join('|')}|\n`;
  for (const [key, label] of METRICS) {
    const cells = variants.map((v) => {
      const s = stats(results[`${throttle}x|${v.name}`].map((r) => r[key]));
      (summary[`${throttle}x`] ??= {})[v.name] ??= {};
      summary[`${throttle}x`][v.name][key] = s;
      if (!s) return '–';
      // Against the control page loaded the same way (cold, or warm): the ratio, and for
      // times the difference too.
      const controlName = v.control ?? variants[0].name;
      const c = stats(results[`${throttle}x|${controlName}`].map((r) => r[key]));
      let vs = '';
      if (v.name != controlName && v !== variants[0] && c) {
        const parts = [];
        if (DELTA.has(key)) parts.push(`${s.median >= c.median ? '+' : '−'}${fmt(Math.abs(s.median - c.median))}`);
        if (c.median) parts.push(`×${(s.median / c.median).toFixed(2)}`);
        if (parts.length) vs = ` (${parts.join(', ')})`;
      }
      return `${fmt(s.median)}${vs}<br><sub>p90 ${fmt(s.p90)}, ${fmt(s.min)}–${fmt(s.max)}</sub>`;
    });
    out += `| ${label} | ${cells.join(' | ')} |\n`;
  }
}
console.log(out);
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ runs: RUNS, chromium: version, machine: { cpus: cpus().length, model: cpus()[0]?.model }, summary, results }, null, 2));
writeFileSync(file.replace(/\.json$/, '.md'), out);
console.log(`raw results: ${file}`);
