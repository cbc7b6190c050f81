// `npm test`: build → size budget → web-test-runner (browser unit tests) →
// node:test e2e/server tests. Streams each step's output and ends with ONE plain
// line `N passed, N failed[, N skipped]` summing both runners. Exits non-zero if
// any test or step failed.
//
//   node scripts/test.mjs              everything
//   node scripts/test.mjs --e2e-only   only the node e2e/server tests (needs a built dist/)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChrome } from './find-chrome.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
const e2eOnly = process.argv.includes('--e2e-only');
const isWin = process.platform === 'win32';
const npm = isWin ? 'npm.cmd' : 'npm';
const bin = (name) => join(root, 'node_modules', '.bin', isWin ? `${name}.cmd` : name);

try {
  findChrome();
} catch (error) {
  console.error(/** @type {Error} */ (error).message);
  process.exit(1);
}

/** @returns {number} exit status (1 if killed by a signal or failed to start) */
function step(title, cmd, args) {
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: isWin });
  if (result.error) {
    console.error(`test: could not run ${cmd}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

function readCounts(file) {
  try {
    const text = readFileSync(file, 'utf8').trim();
    try {
      return JSON.parse(text);
    } catch {
      // One JSON object per line (e.g. several reporter runs): take the last.
      const last = text.split('\n').filter(Boolean).pop();
      return last ? JSON.parse(last) : null;
    }
  } catch {
    return null;
  }
}

/** Recursively lists *.test.ts files under `dir` (Node 20's --test does not expand globs). */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

const total = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function add(label, status, counts) {
  const passed = counts?.passed ?? 0;
  let failed = (counts?.failed ?? 0) + (counts?.cancelled ?? 0);
  const skipped = (counts?.skipped ?? 0) + (counts?.todo ?? 0);
  if (status !== 0 && failed === 0) {
    // The runner failed without a failing test (load error, crash, bad config): count it.
    failed = 1;
    problems.push(`${label} exited with status ${status}${counts ? '' : ' and reported no counts'}`);
  }
  total.passed += passed;
  total.failed += failed;
  total.skipped += skipped;
}

function summary() {
  return `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`;
}

mkdirSync(resultsDir, { recursive: true });

if (!e2eOnly) {
  if (step('build', npm, ['run', '--silent', 'build']) !== 0) {
    console.error('\ntest: build failed; no tests were run.');
    total.failed += 1;
    console.log(summary());
    process.exit(1);
  }
  if (step('size', npm, ['run', '--silent', 'size']) !== 0) {
    problems.push('size budget exceeded (or dist missing)');
  }

  const unitJson = join(resultsDir, 'unit.json');
  rmSync(unitJson, { force: true });
  const wtrStatus = step('unit tests (web-test-runner)', bin('web-test-runner'), []);
  add('web-test-runner', wtrStatus, readCounts(unitJson));
} else if (!existsSync(join(root, 'dist', 'consentkit.js'))) {
  console.error('test: dist/consentkit.js is missing; run `npm run build` first.');
  process.exit(1);
}

const nodeFiles = ['e2e', 'server', 'compliance', 'catalog', 'scan', 'docs'].flatMap((dir) => testFiles(join(root, 'test', dir)));
if (nodeFiles.length > 0) {
  const e2eJson = join(resultsDir, 'e2e.json');
  rmSync(e2eJson, { force: true });
  const status = step('e2e/server tests (node:test)', process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs',
    `--test-reporter-destination=${relative(root, e2eJson)}`,
    ...nodeFiles.map((file) => relative(root, file)),
  ]);
  add('node:test', status, readCounts(e2eJson));
} else {
  console.log('\n=== e2e/server tests (node:test) ===\n(no test files)');
}

console.log('');
for (const problem of problems) console.error(`test: ${problem}`);
const failed = total.failed > 0 || problems.length > 0;
console.log(summary());
process.exit(failed ? 1 : 0);
