// Locates a Chrome/Chromium executable for web-test-runner, the e2e tests and the benches.
// The logic ships with `consentkit scan` (src/scan/find-chrome.ts); it is loaded here from
// the source through tsx, so the scripts work before dist/ is built.
import { tsImport } from 'tsx/esm/api';

/** @type {typeof import('../src/scan/find-chrome.ts')} */
const shipped = await tsImport('../src/scan/find-chrome.ts', import.meta.url);

export const { CHROME_ARGS, NO_CHROME_MESSAGE, findChrome } = shipped;
