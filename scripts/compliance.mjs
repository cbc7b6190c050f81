// `npm run compliance`: runs the page tests tagged with a checklist item
// (`test('…', { tag: '@item-07' }, …)`, most in test/e2e/compliance/) under
// Playwright Test, reads its JSON report, maps each tag to item NN of the checklist
// at the end of REQUIREMENTS.md, writes docs/compliance.md and prints the table and
// "N of 48 items proven".
//
// An item is proven only when every test tagged with it ran and passed the first
// time. Nothing here decides a result: it only reads what Playwright reported.
//
//   node scripts/compliance.mjs                    build if dist/ is missing or stale, run, write
//   node scripts/compliance.mjs --no-build         fail instead of building
//   node scripts/compliance.mjs --report test-results/pages.json
//                                                  write from a report of a run that included them
//                                                  (`npm test` leaves one there) instead of running
//   node scripts/compliance.mjs items-01           only the test files whose path matches "items-01"
//
// The checklist comes from $CONSENTKIT_REQUIREMENTS, else ../shared/REQUIREMENTS.md
// beside the repository, else the committed copy docs/requirements-checklist.md (so a
// fresh clone works).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const reportAt = args.indexOf('--report');
const reportArg = reportAt >= 0 ? resolve(args[reportAt + 1] ?? '') : undefined;
const filters = args.filter((a, i) => !a.startsWith('--') && i !== reportAt + 1);
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
// Running the tests

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

/** Runs the page tests tagged with a checklist item under Playwright Test; returns the JSON report's path and the exit status. */
function runTagged() {
  const report = join(root, 'test-results', 'compliance.json');
  rmSync(report, { force: true });
  const r = spawnSync(
    join(root, 'node_modules', '.bin', isWin ? 'playwright.cmd' : 'playwright'),
    ['test', '--grep', '@item-\\d', '--reporter', 'list,json', ...filters],
    { cwd: root, stdio: 'inherit', shell: isWin, env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: report } },
  );
  return { report, status: r.status ?? 1 };
}

/**
 * Every test tagged `@item-NN` in a Playwright JSON report, grouped into proofs: the
 * outermost `describe` a test sits in, or the test itself. A proof passed only when
 * every test in it passed the first time; one that passed only on a retry is flaky.
 */
export function itemResults(report) {
  const proofs = new Map();
  const visit = (suite, file, group) => {
    for (const spec of suite.specs ?? []) {
      for (const tag of spec.tags ?? []) {
        const m = /^@?item-(\d+)$/.exec(tag);
        if (!m) continue;
        const title = group ?? spec.title;
        const key = `${m[1]}|${file}|${title}`;
        const proof = proofs.get(key) ?? { n: Number(m[1]), title, file, statuses: [], errors: [] };
        proofs.set(key, proof);
        for (const test of spec.tests) {
          proof.statuses.push(test.status);
          const error = test.results.find((r) => r.error)?.error?.message;
          if (test.status === 'unexpected' && error) proof.errors.push(`${group ? `${spec.title}: ` : ''}${error.split('\n')[0].slice(0, 200)}`);
        }
      }
    }
    for (const child of suite.suites ?? []) visit(child, file, group ?? child.title);
  };
  const testDir = report.config?.rootDir ?? join(root, 'test', 'e2e');
  for (const fileSuite of report.suites ?? []) visit(fileSuite, relative(root, join(testDir, fileSuite.file)).split(sep).join('/'), undefined);
  return [...proofs.values()].map(({ statuses, errors, ...proof }) => ({
    ...proof,
    status: statuses.includes('unexpected') ? 'fail' : statuses.includes('flaky') ? 'flaky' : statuses.includes('skipped') ? 'skip' : 'pass',
    error: errors.join(' '),
  }));
}

// ---------------------------------------------------------------------------
// The report

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function main() {
  const requirements = findRequirements();
  const items = parseChecklist(readFileSync(requirements, 'utf8'));
  let reportFile = reportArg;
  let status = 0;
  if (!reportFile) {
    ensureBuilt();
    ({ report: reportFile, status } = runTagged());
  }
  if (!existsSync(reportFile)) {
    console.error(`compliance: no report at ${reportFile}${reportArg ? '' : ' (the test run did not finish)'}`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const results = itemResults(report);
  const unknown = results.filter((r) => !items.some((i) => i.n === r.n));

  const rows = items.map((item) => {
    const proofs = results.filter((r) => r.n === item.n);
    const result = !proofs.length
      ? 'not covered'
      : proofs.some((p) => p.status === 'fail')
        ? 'fail'
        : proofs.some((p) => p.status === 'flaky')
          ? 'flaky'
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
  const mark = { pass: '✅ pass', fail: '❌ fail', flaky: '⚠️ flaky (passed on a retry)', skipped: '⚠️ skipped', 'not covered': '— not covered' };
  const md = [
    '# Compliance: every requirement traced to a test',
    '',
    '<!-- Generated by `npm run compliance` (scripts/compliance.mjs) from Playwright Test\'s JSON report. Do not edit by hand. -->',
    '',
    `The checklist of [REQUIREMENTS.md](requirements-checklist.md) (${items.length} items, most important first), each with the`,
    'browser test that proves it. Every test drives the built one-tag bundle (`dist/consentkit.js`) in',
    'a real Chromium page, as a visitor or a tag would. An item is **pass** only when every test tagged',
    'with it ran and passed the first time; items without a test say **not covered**. Not legal advice.',
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
    'Each test (or `describe` group) carries the tag of its item, `test(\'…\', { tag: \'@item-07\' }, …)`. Most live in',
    '`test/e2e/compliance/items-*.test.ts`, a few beside the feature they test. `npx playwright test --grep @item-07`',
    'runs the tests of one item; `npm run compliance -- --report test-results/pages.json` rewrites this page',
    'from the report `npm test` leaves, without running anything again.',
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
