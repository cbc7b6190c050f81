// `npm run compliance`: runs the browser suite in test/compliance/ against the
// built bundle, maps each test titled `item NN: …` to item NN of the checklist
// at the end of REQUIREMENTS.md, writes docs/compliance.md and prints the table
// and "N of 48 items proven".
//
// An item is proven only when a test (or group) carrying its number ran and
// passed with nothing inside it skipped. Nothing here decides a result: it only
// reads what node:test reported.
//
//   node scripts/compliance.mjs              build if dist/ is missing or stale, run, write
//   node scripts/compliance.mjs --no-build   fail instead of building
//   node scripts/compliance.mjs items-01     only the test files whose name contains "items-01"
//
// The checklist comes from $CONSENTKIT_REQUIREMENTS, else ../shared/REQUIREMENTS.md
// beside the repository, else the committed copy docs/requirements-checklist.md (so a
// fresh clone works).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const filters = args.filter((a) => !a.startsWith('--'));
const isWin = process.platform === 'win32';

/**
 * What the product deliberately does differently from an item's wording, or
 * does not do at all, and why. Shown beside the item in docs/compliance.md.
 */
const NOTES = {
  11: 'The record names the policy version `revision` and the UI layer `source`. It holds no user agent on purpose: item 48 (no identifier other than `consentId`) and data minimisation win over the §1 synthesis.',
  12: 'consentkit calls `policyVersion` `revision` (config field and record field).',
  13: 'The expiry is `cookie.expiryDays`: default 182 days, values above 395 (13 months) are refused.',
};

/** Requirements the product deliberately does not implement (not checklist items). */
const NOT_DONE = [
  [
    'IAB TCF v2.2 CMP API (`__tcfapi`) and GPP (`__gpp`) [§4]',
    'A CMP not registered with IAB Europe cannot produce valid TC or GPP strings, and TC strings are personal data. consentkit exposes the `consentkit:change` event and the `consentkit_update` dataLayer event so a site can bridge to a certified CMP (item 27 is the test that both globals stay undefined).',
  ],
  [
    'Do Not Track [§3]',
    'The specification is discontinued; it is given no effect. Global Privacy Control is honoured instead.',
  ],
];

// ---------------------------------------------------------------------------
// The checklist

function findRequirements() {
  const candidates = [
    process.env.CONSENTKIT_REQUIREMENTS,
    join(root, '..', 'shared', 'REQUIREMENTS.md'),
    join(root, 'docs', 'requirements-checklist.md'),
  ].filter(Boolean);
  for (const path of candidates) if (existsSync(path)) return resolve(path);
  throw new Error(`no checklist found (looked at ${candidates.join(', ')})`);
}

/**
 * The numbered items under "## Checklist": `{ n, text, source }`. The source is
 * the trailing `[...]` tag, or a trailing `(design)`/`(best practice)`.
 */
export function parseChecklist(markdown) {
  const start = markdown.search(/^## Checklist/m);
  if (start < 0) throw new Error('no "## Checklist" section');
  const items = [];
  for (const line of markdown.slice(start).split('\n').slice(1)) {
    if (/^## /.test(line)) break;
    const m = /^(\d+)\.\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    let text = m[2].trim();
    let source = '';
    const tag = /\s*(\[[^\]]+\]|\((?:design|best practice)\))\.?$/.exec(text);
    if (tag) {
      source = tag[1];
      text = text.slice(0, tag.index).trim();
    }
    items.push({ n: Number(m[1]), text, source });
  }
  if (!items.length) throw new Error('the checklist has no numbered items');
  return items;
}

// ---------------------------------------------------------------------------
// Running the suite

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const bundle = join(root, 'dist', 'consentkit.js');
  const stale = !existsSync(bundle) || statSync(bundle).mtimeMs < newestMtime(join(root, 'src'));
  if (!stale) return;
  if (noBuild) {
    console.error('compliance: dist/consentkit.js is missing or older than src/; run `npm run build` first.');
    process.exit(1);
  }
  console.log('compliance: dist/ is missing or older than src/: building');
  const r = spawnSync(isWin ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: isWin });
  if (r.status !== 0) {
    console.error('compliance: the build failed');
    process.exit(1);
  }
}

function testFiles() {
  const dir = join(root, 'test', 'compliance');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && (!filters.length || filters.some((s) => f.includes(s))))
    .sort()
    .map((f) => join(dir, f));
}

/** Runs the files under node:test; returns the reporter's lines and the exit status. */
function runSuite(files) {
  const out = join(root, 'test-results', 'compliance.jsonl');
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/compliance-reporter.mjs',
      `--test-reporter-destination=${relative(root, out)}`,
      ...files.map((f) => relative(root, f)),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const lines = existsSync(out)
    ? readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  return { events: lines, status: r.status ?? 1 };
}

/**
 * Rebuilds each file's tree (the runner reports children before their parent)
 * and returns every test or suite titled `item NN: …` with its status: a suite
 * counts as passed only when it and everything inside it passed.
 */
export function itemResults(events) {
  const stacks = new Map();
  const found = [];
  const flatten = (node) => [node, ...node.children.flatMap(flatten)];
  for (const e of events) {
    const stack = stacks.get(e.file) ?? [];
    stacks.set(e.file, stack);
    const node = { ...e, children: [] };
    while (stack.length && stack[stack.length - 1].nesting > e.nesting) node.children.unshift(stack.pop());
    stack.push(node);
    const m = /^item (\d{2}): (.+)$/.exec(e.name);
    if (!m) continue;
    const all = flatten(node);
    const failed = all.find((x) => x.status === 'fail');
    const skipped = all.find((x) => x.status === 'skip' || x.status === 'todo');
    found.push({
      n: Number(m[1]),
      title: e.name,
      file: e.file ? relative(root, e.file) : '',
      status: failed ? 'fail' : skipped ? 'skip' : 'pass',
      error: failed ? (failed === node ? e.error : `${failed.name}: ${failed.error}`) : '',
    });
  }
  return found;
}

// ---------------------------------------------------------------------------
// The report

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function main() {
  const requirements = findRequirements();
  const items = parseChecklist(readFileSync(requirements, 'utf8'));
  ensureBuilt();
  const files = testFiles();
  if (!files.length) {
    console.error('compliance: no test files in test/compliance/');
    process.exit(1);
  }
  const { events, status } = runSuite(files);
  const results = itemResults(events);
  const unknown = results.filter((r) => !items.some((i) => i.n === r.n));

  const rows = items.map((item) => {
    const proofs = results.filter((r) => r.n === item.n);
    const result = !proofs.length
      ? 'not covered'
      : proofs.some((p) => p.status === 'fail')
        ? 'fail'
        : proofs.every((p) => p.status === 'pass')
          ? 'pass'
          : 'skipped';
    return { ...item, proofs, result };
  });
  const proven = rows.filter((r) => r.result === 'pass').length;
  const failed = rows.filter((r) => r.result === 'fail');

  const git = (...a) => spawnSync('git', a, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const dirty = git('status', '--porcelain', '--', 'src', 'test', 'scripts', 'package.json') ? ' plus uncommitted changes' : '';
  const commit = `\`${git('rev-parse', '--short', 'HEAD') || 'unknown'}\`${dirty}`;
  const mark = { pass: '✅ pass', fail: '❌ fail', skipped: '⚠️ skipped', 'not covered': '— not covered' };
  const md = [
    '# Compliance: every requirement traced to a test',
    '',
    '<!-- Generated by `npm run compliance` (scripts/compliance.mjs). Do not edit by hand. -->',
    '',
    `The checklist of [REQUIREMENTS.md](requirements-checklist.md) (${items.length} items, most important first), each with the`,
    'browser test that proves it. Every test drives the built one-tag bundle (`dist/consentkit.js`) in',
    'a real Chromium page, as a visitor or a tag would. An item is **pass** only when its test ran and',
    'passed; items without a test say **not covered**. Not legal advice.',
    '',
    `**${proven} of ${items.length} items proven** (commit ${commit}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    '',
    '| # | Requirement | Source | Proven by | Result |',
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const by = r.proofs.length
        ? r.proofs.map((p) => `\`${p.file}\` › ${cell(p.title)}`).join('<br>')
        : '';
      const note = NOTES[r.n] ? `<br>*Note:* ${cell(NOTES[r.n])}` : '';
      const why = r.proofs
        .filter((p) => p.error)
        .map((p) => `<br>${cell(p.error)}`)
        .join('');
      return `| ${r.n} | ${cell(r.text)}${note} | ${cell(r.source)} | ${by} | ${mark[r.result]}${why} |`;
    }),
    '',
    '## Deliberately not implemented',
    '',
    ...NOT_DONE.map(([what, why]) => `- **${what}**: ${why}`),
    '',
    '## How to reproduce',
    '',
    '```sh',
    'npm ci && npm run build && npm run compliance',
    '```',
    '',
    'Tests live in `test/compliance/items-*.test.ts`; each test or group is titled `item NN: …`.',
    '',
  ].join('\n');
  if (!filters.length) writeFileSync(join(root, 'docs', 'compliance.md'), md);

  console.log('\n=== compliance ===');
  const width = Math.max(...rows.map((r) => r.result.length));
  for (const r of rows) {
    const text = r.text.length > 70 ? `${r.text.slice(0, 67)}...` : r.text;
    console.log(`${String(r.n).padStart(2)}  ${r.result.padEnd(width)}  ${text}`);
  }
  for (const u of unknown) console.error(`compliance: "${u.title}" (${u.file}) names no checklist item`);
  if (filters.length) console.log('(filtered run: docs/compliance.md not written)');
  else console.log(`wrote ${relative(root, join(root, 'docs', 'compliance.md'))} (checklist: ${basename(requirements)} from ${dirname(requirements)})`);
  console.log(`${proven} of ${items.length} items proven`);
  if (failed.length || unknown.length || (status !== 0 && !failed.length)) {
    if (status !== 0 && !failed.length) console.error(`compliance: the test run exited with status ${status}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
