// A tiny web-test-runner reporter: after the run, prints one plain line
// `N passed, N failed[, N skipped]` (no ANSI codes) as the very last line of
// output, and writes the same counts to test-results/unit.json for scripts/test.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */

/** @param {Counts} c */
export function formatCounts(c) {
  return `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
}

/**
 * @param {import('@web/test-runner-core').TestSuiteResult | undefined} suite
 * @param {Counts} counts
 */
function countSuite(suite, counts) {
  if (!suite) return;
  for (const test of suite.tests) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites) countSuite(child, counts);
}

/**
 * @param {import('@web/test-runner-core').TestSession[]} sessions
 * @returns {Counts}
 */
export function countSessions(sessions) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const session of sessions) {
    const before = counts.failed;
    countSuite(session.testResults, counts);
    // A test file that fails outside any test (import error, uncaught error,
    // browser crash, timeout) counts as one failure so it cannot go unnoticed.
    if (session.passed === false && counts.failed === before) counts.failed += 1;
  }
  return counts;
}

/**
 * @param {{ outputFile?: string }} [options]
 * @returns {import('@web/test-runner').Reporter}
 */
export function countReporter({ outputFile = 'test-results/unit.json' } = {}) {
  /** @type {Counts | undefined} */
  let counts;
  let printed = false;
  const print = () => {
    if (printed || !counts) return;
    printed = true;
    // 'exit' runs after web-test-runner's final progress output, so this is the last line.
    process.stdout.write(`${formatCounts(counts)}\n`);
  };
  return {
    start() {
      process.once('exit', print);
    },
    stop({ sessions }) {
      counts = countSessions(sessions);
      if (outputFile) {
        mkdirSync(dirname(outputFile), { recursive: true });
        writeFileSync(outputFile, `${JSON.stringify({ runner: 'web-test-runner', ...counts }, null, 2)}\n`);
      }
    },
  };
}
