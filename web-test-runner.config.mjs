// web-test-runner: browser unit tests (test/**/*.test.ts) in headless system Chromium.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.mjs';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/**/*.test.ts', '!test/e2e/**', '!test/server/**', '!test/catalog/**', '!test/scan/**', '!test/docs/**'],
  nodeResolve: true,
  concurrency: 2,
  browserStartTimeout: 60000,
  testsFinishTimeout: 120000,
  plugins: [
    // target es2022: the default 'auto' would serve untransformed decorators.
    // tsconfig.wtr.json is standalone: this plugin reads it as plain JSON (no `extends`).
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.wtr.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChrome(),
        headless: true,
        args: [...CHROME_ARGS],
      },
    }),
  ],
  testFramework: {
    config: { timeout: 10000 },
  },
};
