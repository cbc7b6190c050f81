// Locates a Chrome/Chromium executable for web-test-runner and the e2e tests.
// We never download a browser: use the system one, or point CHROME_PATH at one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Flags for headless Chromium (required as root; keep it quiet and offline). */
export const CHROME_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

function candidates() {
  const list = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ];
  const winRoots = [
    process.env['PROGRAMFILES'],
    process.env['PROGRAMFILES(X86)'],
    process.env['LOCALAPPDATA'],
    'C:\\Program Files',
    'C:\\Program Files (x86)',
  ].filter(Boolean);
  for (const root of winRoots) {
    list.push(join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
    list.push(join(root, 'Chromium', 'Application', 'chrome.exe'));
  }
  return list;
}

export const NO_CHROME_MESSAGE = [
  'No Chrome or Chromium browser was found. The tests need one (it is never downloaded).',
  'Get one of these:',
  '  - Debian/Ubuntu: sudo apt-get install chromium',
  '  - install Google Chrome (https://www.google.com/chrome/)',
  '  - or set CHROME_PATH to the path of an existing Chrome/Chromium executable',
].join('\n');

/**
 * @returns {string} path of a Chrome/Chromium executable
 * @throws {Error} with a plain, actionable message when none is found
 */
export function findChrome() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to "${fromEnv}", but no file exists there.\n${NO_CHROME_MESSAGE}`);
  }
  for (const path of candidates()) {
    if (existsSync(path)) return path;
  }
  throw new Error(NO_CHROME_MESSAGE);
}
