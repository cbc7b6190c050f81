// The benchmark pages: one article, served several ways. The control page runs the
// same 20 scripts directly (no consent tool); the consentkit pages mark them
// (10 inline, 10 external) and load the tag as docs/getting-started.md tells site owners;
// the floor pages put a minimal activator in the tag's place.
import { readFileSync } from 'node:fs';

/** Body of external marked script `n`: records when it ran. */
export const marked = (n) => `window.__ran.push(performance.now()); window.ext${n} = ${n};\n`;

const article = Array.from(
  { length: 8 },
  (_, i) => `<p>Paragraph ${i + 1}. A consent tag sits in the head of every page of a site, so its bytes and
main-thread time are paid on every page view. This paragraph is ordinary content, the kind any article has,
long enough to wrap over several lines at desktop width and to be a fair candidate for the largest paint.</p>`,
).join('\n');

const scripts = (markedUp) =>
  Array.from({ length: 20 }, (_, i) => {
    const inline = i % 2 == 0;
    const attrs = markedUp ? ` type="text/plain" data-category="${inline ? 'analytics' : 'advertising'}"` : '';
    return inline
      ? `<script${attrs}>window.__ran.push(performance.now()); window.inline${i} = ${i};</script>`
      : `<script${attrs} src="/bench/ext/${i}.js"></script>`;
  }).join('\n');

const page = (head, markedUp) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Benchmark article</title>
${head}
<style>body{font:18px/1.6 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}h1{font-size:2.4rem;line-height:1.2}</style>
</head>
<body>
<header><nav><a href="/">Home</a> · <a href="/about">About</a></nav></header>
<main>
<h1>Why page weight still matters in 2026</h1>
${article}
</main>
<footer><a href="#" data-consentkit="preferences">Cookie settings</a></footer>
${scripts(markedUp)}
</body>
</html>`;

/** A returning visitor's stored choice (everything accepted, now), for `encodeChoice`. */
export const acceptedChoice = (now = Date.now()) => ({
  id: crypto.randomUUID(),
  createdAt: now,
  updatedAt: now,
  revision: '1',
  action: 'accept_all',
  source: 'banner',
  gpc: false,
  categories: { necessary: true, functional: true, analytics: true, advertising: true },
  services: {},
});

const config = '<script type="application/json" id="consentkit-config">{"revision":1}</script>';

/** The floor's code (bench/floor/consentkit-floor.js), for the page that has it inline. */
const floorSource = readFileSync(new URL('floor/consentkit-floor.js', import.meta.url), 'utf8');

/**
 * Every page is also served under `/warm/`, where the files it loads (the tag's and the
 * external scripts) may be cached: `npm run bench` loads such a page once, unmeasured,
 * in the same browser profile before the load it measures, as a visitor who comes back.
 */
const warm = (html) => html.replaceAll('"/dist/', '"/warm/dist/').replaceAll('"/bench/', '"/warm/bench/').replaceAll('"/floor/', '"/warm/floor/');

export const pages = () => {
  const cold = {
    '/control.html': page('', false),
    '/consentkit.html': page(`${config}\n<script src="/dist/consentkit.js"></script>`, true),
    '/consentkit-defer.html': page(`${config}\n<script defer src="/dist/consentkit.js"></script>`, true),
    // The floor (bench/floor/consentkit-floor.js): a minimal activator in consentkit's place.
    '/floor.html': page('<script src="/floor/consentkit-floor.js"></script>', true),
    // The same activator written into the page: what the tag's own request costs.
    '/floor-inline.html': page(`<script>\n${floorSource}</script>`, true),
  };
  return { ...cold, ...Object.fromEntries(Object.entries(cold).map(([path, html]) => [`/warm${path}`, warm(html)])) };
};
