// Playwright Test: every page test (test/e2e/**, the compliance checklist under
// test/e2e/compliance/) against the built dist/, in the system Chrome/Chromium that
// scripts/find-chrome.mjs finds. No browser is downloaded.
import { defineConfig } from '@playwright/test';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.mjs';

const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.test.ts',
  // Not test-results/ itself: Playwright empties its output folder before each run.
  outputDir: 'test-results/pages',
  // Pages run at 4x CPU throttling in places, on machines shared with other work.
  timeout: 120_000,
  workers: 2,
  // In CI a failing test runs once more to tell a flaky test from a broken one; one that
  // passes only then is still listed as flaky in the summary and in the JSON report.
  retries: ci ? 1 : 0,
  forbidOnly: ci,
  reporter: [['list'], ['json', { outputFile: 'test-results/pages.json' }]],
  use: {
    headless: true,
    launchOptions: { executablePath: findChrome(), args: [...CHROME_ARGS] },
    trace: 'on-first-retry',
  },
});
