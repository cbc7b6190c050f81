// `npm run bench:phases`: where the one-tag gate's own evaluation spends its time on a
// returning visit. Bundles dist/esm/cdn.js like dist/consentkit.js, with marks around
// each step of start() and around the config validation and the first cookie read,
// serves it in place of the real gate on the benchmark page, and prints the median of
// each step at 1x and 4x CPU. Needs a built dist/ (`npm run build`).
//
//   BENCH_RUNS=9   runs per CPU setting
//
// The marks cost a few microseconds each; the real gate is not changed.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { chromium } from 'playwright-core';
import { rollup } from 'rollup';
import { CHROME_ARGS, findChrome } from '../scripts/find-chrome.mjs';
import { createStaticServer, listen, staticHandler } from '../scripts/static-server.mjs';
import { acceptedChoice, marked, pages } from './pages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 9));
const esm = join(root, 'dist', 'esm');

/** `file` (under dist/esm) → [text to find, name of the step that starts there]. */
const STEPS = {
  'gate/start.js': [
    ['const existing = installed();', 'part loader'],
    ['const resolved = resolveConfig(config);', 'config resolution'],
    ['const kit = createConsentKit(', 'environment and consent state'],
    ['startIntegrations(kit);', 'Consent Mode and dataLayer'],
    ['configureScriptUrls(resolved);', 'Trusted Types and blocker'],
    ['startReporter(kit, load);', 'reporter'],
    ['startUi(kit, load);', 'UI loader'],
    ['startAudit(kit, load,', 'audit check'],
    ['return options.global', 'window.consentkit and queued calls'],
  ],
};
/** Calls timed on their own (they run inside the steps above). */
const TIMED = {
  'gate/start.js': [['detectEnvironment(resolved, options)', 'region, mode and GPC']],
  'gate/core/consent-kit.js': [
    ['readCookie(config.cookie.name)', 'first document.cookie read'],
    ['new BroadcastChannel(`consentkit:${config.cookie.name}`)', 'tab-sync BroadcastChannel'],
  ],
};

const instrument = {
  name: 'phase-marks',
  transform(code, id) {
    const rel = id.startsWith(esm) ? id.slice(esm.length + 1) : '';
    for (const [text, name] of STEPS[rel] ?? []) {
      if (!code.includes(text)) throw new Error(`phases: "${text}" not found in ${rel}; update bench/phases.mjs`);
      code = code.replace(text, `__ck.push([${JSON.stringify(name)}, performance.now()]);${text}`);
    }
    for (const [text, name] of TIMED[rel] ?? []) {
      if (!code.includes(text)) throw new Error(`phases: "${text}" not found in ${rel}; update bench/phases.mjs`);
      code = code.replace(text, `__ckTime(${JSON.stringify(name)}, () => ${text})`);
    }
    if (rel == 'cdn.js') {
      code = `window.__ck = [["read the page's config", performance.now()]];
window.__ckTimed = {};
window.__ckTime = (n, f) => { const t = performance.now(); const r = f(); __ckTimed[n] = performance.now() - t; return r; };
${code}
__ck.push(['end', performance.now()]);`;
    }
    return { code, map: null };
  },
};

const bundle = await rollup({
  input: join(esm, 'cdn.js'),
  plugins: [replace({ preventAssignment: true, values: { DEV_MODE: 'false' } }), nodeResolve({ browser: true, exportConditions: ['production'] }), instrument],
});
const { output } = await bundle.generate({ format: 'iife', name: 'consentkitGate' });
const gate = output[0].code;

const { encodeChoice } = await import(join(esm, 'gate', 'core', 'choice.js'));
const html = pages();
const server = createStaticServer([
  (req, res, url) => {
    const body =
      url.pathname == '/dist/consentkit.js' ? gate : url.pathname == '/consentkit.html' ? html[url.pathname] : null;
    const ext = /^\/bench\/ext\/(\d+)\.js$/.exec(url.pathname);
    if (body == null && !ext) return false;
    res.writeHead(200, { 'content-type': body == gate || ext ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' });
    res.end(body ?? marked(Number(ext?.[1])));
    return true;
  },
  staticHandler('/dist/', join(root, 'dist')),
]);
const origin = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
const browser = await chromium.launch({ executablePath: findChrome(), args: [...CHROME_ARGS], headless: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
try {
  for (const rate of [1, 4]) {
    const samples = {};
    for (let run = 0; run < RUNS; run++) {
      const ctx = await browser.newContext();
      const value = encodeChoice(acceptedChoice());
      await ctx.addCookies([{ name: 'consentkit', value, url: origin }]);
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      await page.goto(`${origin}/consentkit.html`, { waitUntil: 'load' });
      const { marks, timed } = await page.evaluate(() => ({ marks: window.__ck, timed: window.__ckTimed }));
      // Each step's time is from its mark to the next one.
      const steps = { 'whole evaluation': marks.at(-1)[1] - marks[0][1] };
      for (let i = 1; i < marks.length; i++) steps[marks[i - 1][0]] = marks[i][1] - marks[i - 1][1];
      for (const [name, ms] of Object.entries({ ...steps, ...timed })) (samples[name] ??= []).push(ms);
      await ctx.close();
    }
    console.log(`\n### Gate evaluation, returning visitor, CPU ${rate}x (${RUNS} runs; median, min–max ms)\n`);
    console.log('| step | median | min–max |\n|---|---|---|');
    for (const [name, xs] of Object.entries(samples)) console.log(`| ${name} | ${median(xs).toFixed(1)} | ${range(xs)} |`);
  }
} finally {
  await browser.close();
  server.close();
}
