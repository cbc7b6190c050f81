// `npm run bench:profile`: where consentkit's own JavaScript time goes, from the
// V8 CPU profiler. Loads the benchmark article page (bench/pages.mjs) as a first
// visit (banner) and as a returning visitor (gate only) at 4x CPU, and prints the
// mean self time per consentkit file and its ten most expensive functions, with the
// names of the minified build mapped to nothing: read them with the file's source
// at hand (`npm run build` writes readable ESM to dist/esm/ for that). Needs a
// built dist/.
//
//   BENCH_RUNS=5      loads per visit kind
//   BENCH_THROTTLE=4  CPU slowdown
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../scripts/find-chrome.mjs';
import { createStaticServer, listen, staticHandler } from '../scripts/static-server.mjs';
import { acceptedChoice, marked, pages } from './pages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const RATE = Number(process.env.BENCH_THROTTLE ?? 4);
const { encodeChoice } = await import(join(root, 'dist/esm/gate/core/choice.js'));

const html = pages();
const server = createStaticServer([
  (req, res, url) => {
    const ext = /^\/bench\/ext\/(\d+)\.js$/.exec(url.pathname);
    if (!(url.pathname in html) && !ext) return false;
    res.writeHead(200, { 'content-type': ext ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' });
    res.end(ext ? marked(Number(ext[1])) : html[url.pathname]);
    return true;
  },
  staticHandler('/dist/', join(root, 'dist')),
]);
const origin = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
const browser = await chromium.launch({ executablePath: findChrome(), args: [...CHROME_ARGS], headless: true });

/** Self time (ms) per consentkit file and per function of it, from one profile. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map();
  const intervals = profile.timeDeltas;
  profile.samples.forEach((id, i) => hits.set(id, (hits.get(id) ?? 0) + (intervals[i + 1] ?? 0) / 1000));
  const files = {};
  const functions = {};
  for (const [id, ms] of hits) {
    const { url, functionName, lineNumber, columnNumber } = byId.get(id).callFrame;
    const file = /\/dist\/(consentkit[\w-]*\.js)/.exec(url)?.[1];
    if (!file) continue;
    files[file] = (files[file] ?? 0) + ms;
    const key = `${file} ${functionName || '(anonymous)'} @${lineNumber + 1}:${columnNumber + 1}`;
    functions[key] = (functions[key] ?? 0) + ms;
  }
  return { files, functions };
}

const add = (into, from) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v / RUNS;
};
try {
  for (const visit of ['first visit', 'returning visitor']) {
    const files = {};
    const functions = {};
    for (let run = 0; run < RUNS; run++) {
      const ctx = await browser.newContext({ viewport: { width: 412, height: 915 } });
      if (visit == 'returning visitor') await ctx.addCookies([{ name: 'consentkit', value: encodeChoice(acceptedChoice()), url: origin }]);
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      await page.goto(`${origin}/consentkit.html`, { waitUntil: 'load' });
      // The banner (or, for a returning visitor, the corner at idle time) has come by then.
      await page.waitForTimeout(2500);
      const { profile } = await cdp.send('Profiler.stop');
      const times = selfTimes(profile);
      add(files, times.files);
      add(functions, times.functions);
      await ctx.close();
    }
    console.log(`\n### ${visit}, CPU ${RATE}x: self time of consentkit's files (mean of ${RUNS} loads, ms)\n`);
    console.log('| file | ms |\n|---|---:|');
    for (const [file, ms] of Object.entries(files).sort((a, b) => b[1] - a[1])) console.log(`| ${file} | ${ms.toFixed(1)} |`);
    console.log(`\nTop functions (minified names; line:column in the built file):\n`);
    console.log('| function | ms |\n|---|---:|');
    for (const [fn, ms] of Object.entries(functions).sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`| ${fn} | ${ms.toFixed(1)} |`);
  }
} finally {
  await browser.close();
  server.close();
}
