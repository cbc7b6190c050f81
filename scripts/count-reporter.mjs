// A node:test custom reporter that counts leaf tests (not suites) and emits
// one JSON object { passed, failed, skipped, todo, cancelled } at the end.
// Used by scripts/test.mjs:
//   --test-reporter=./scripts/count-reporter.mjs --test-reporter-destination=test-results/e2e.json

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0, cancelled: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') {
      // A suite that fails by itself (e.g. a hook threw) with no failing test inside
      // is caught by the file-level/exit-code check in scripts/test.mjs.
      continue;
    }
    if (data.skip !== undefined && data.skip !== false) counts.skipped += 1;
    else if (data.todo !== undefined && data.todo !== false) counts.todo += 1;
    else if (event.type === 'test:pass') counts.passed += 1;
    else if (data.details?.error?.failureType === 'cancelledByParent') counts.cancelled += 1;
    else counts.failed += 1;
  }
  yield `${JSON.stringify({ runner: 'node:test', ...counts })}\n`;
}
