// `npm run bench:peer-large`: the shared peer bench (../shared/peer-bench) on the page of
// 1,500 elements that issue 16 names, beside the article page, with consentkit loaded twice:
// as the peer bench loads it, and with 12 URL patterns over 6 services (auto-blocking on).
// The shared folder is not changed: it is copied to a temporary folder, which gets a third
// content page (`?content=large`: 300 articles of a heading, an image, a text and a link), a
// variant `large` (412×915, CPU 4x, that page), and a page `consentkit-auto`. Then the copy
// runs with the arguments given after `--` (default: 9 loads, variants `large,cpu4x`, the
// peers of docs/performance.md). Needs a built dist/ and PEER_DIR, the folder the peers are
// installed in (see the peer bench's README). Not part of `npm test`.
//
//   PEER_DIR=/tmp/peer npm run bench:peer-large
//   PEER_DIR=/tmp/peer npm run bench:peer-large -- --reps 15 --variants large
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.PEER_BENCH ?? join(root, '..', 'shared', 'peer-bench'));
if (!process.env.PEER_DIR) throw new Error('set PEER_DIR to the folder the peers are installed in (see the peer bench README)');

const copy = mkdtempSync(join(tmpdir(), 'peer-large-'));
cpSync(shared, copy, { recursive: true, filter: (path) => !path.startsWith(join(shared, 'results')) });

/** Replaces `find` in `file` of the copy, failing when the shared bench no longer has it. */
const edit = (file, find, replacement) => {
  const path = join(copy, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(find)) throw new Error(`peer-large: ${file} no longer has ${JSON.stringify(find.slice(0, 60))}; update bench/peer-large.mjs`);
  writeFileSync(path, text.replace(find, replacement));
};

const articles = Array.from(
  { length: 300 },
  (_, i) => `<article><h2>Product ${i}</h2><img src="/img/${i}.gif" alt="" width="40" height="40"><p>Text <a href="/p/${i}">more</a></p></article>`,
);
writeFileSync(join(copy, 'pages', '_content-large.html'), `<main class="article"><h1>Catalogue</h1>\n${articles.join('\n')}\n</main>\n`);

// consentkit with the same services as `npm run bench:auto-block`.
const services = {
  analytics: [
    { id: 'ga4', urls: ['www.googletagmanager.com/gtag/js', 'google-analytics.com', 'analytics.google.com'] },
    { id: 'hotjar', urls: ['static.hotjar.com', 'script.hotjar.com'] },
  ],
  advertising: [
    { id: 'meta', urls: ['connect.facebook.net', 'www.facebook.com/tr'] },
    { id: 'gads', urls: ['googleads.g.doubleclick.net', 'www.googleadservices.com'] },
    { id: 'tiktok', urls: ['analytics.tiktok.com'] },
    { id: 'linkedin', urls: ['snap.licdn.com', 'px.ads.linkedin.com'] },
  ],
};
cpSync(join(copy, 'pages', 'consentkit.html'), join(copy, 'pages', 'consentkit-auto.html'));
for (const [category, list] of Object.entries(services))
  edit('pages/consentkit-auto.html', `{ "id": "${category}", `, `{ "id": "${category}", "services": ${JSON.stringify(list)}, `);

edit(
  'bench.mjs',
  '  sparse: {',
  `  large: {
    label: 'page of 1,500 elements (300 articles: heading, image, text, link), 412x915, CPU 4x',
    viewport: { width: 412, height: 915 }, cpu: 4, net: null, settleMs: 2000, query: '?content=large',
  },
  sparse: {`,
);
const consentkitSpec = "    id: 'consentkit', label: 'consentkit (ours)', page: 'pages/consentkit.html',";
edit(
  'bench.mjs',
  consentkitSpec,
  `    id: 'consentkit-auto', label: 'consentkit, 12 URL patterns', page: 'pages/consentkit-auto.html',
    mounts: { '/lib/consentkit/': process.env.CONSENTKIT_DIST ?? ${JSON.stringify(join(root, 'dist'))} },
    root: 'consentkit-banner', banner: 'consentkit-banner >>> [part~="banner"]',
    accept: 'consentkit-banner >>> [part~="accept-all"]', reject: 'consentkit-banner >>> [part~="reject-all"]',
  },
  {
${consentkitSpec}`,
);

const given = process.argv.slice(2);
const args = given.length ? given : ['--reps', '9', '--variants', 'large,cpu4x'];
if (!args.includes('--only')) args.push('--only', 'vanilla-cookieconsent,c15t,osano-cookieconsent,consentkit,consentkit-auto');
const run = spawnSync(process.execPath, [join(copy, 'bench.mjs'), ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CONSENTKIT_DIST: process.env.CONSENTKIT_DIST ?? join(root, 'dist') },
});
rmSync(copy, { recursive: true, force: true });
process.exit(run.status ?? 1);
