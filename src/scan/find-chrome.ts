/**
 * Finds the Chrome or Chromium installed on the machine, for `consentkit scan`
 * (and, through `scripts/find-chrome.mjs`, the repository's own tests). A browser
 * is never downloaded: use the system one, or point CHROME_PATH at one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Flags for headless Chromium: required when running as root (CI containers), and kept quiet and offline. */
export const CHROME_ARGS: readonly string[] = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** The usual install locations on Linux, macOS and Windows, in the order they are tried. */
function candidates(): string[] {
  const list = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ];
  const windowsRoots = [
    process.env.PROGRAMFILES,
    process.env['PROGRAMFILES(X86)'],
    process.env.LOCALAPPDATA,
    'C:\\Program Files',
    'C:\\Program Files (x86)',
  ].filter((root): root is string => Boolean(root));
  for (const root of windowsRoots) {
    list.push(join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
    list.push(join(root, 'Chromium', 'Application', 'chrome.exe'));
  }
  return list;
}

export const NO_CHROME_MESSAGE = [
  'No Chrome or Chromium browser was found (consentkit never downloads one).',
  'Get one of these:',
  '  - Debian/Ubuntu: sudo apt-get install chromium',
  '  - install Google Chrome (https://www.google.com/chrome/)',
  '  - or set CHROME_PATH to the path of an existing Chrome/Chromium executable',
].join('\n');

/**
 * The path of a Chrome/Chromium executable: CHROME_PATH when set, else the first
 * usual location that exists.
 * @throws {Error} with a plain, actionable message when none is found
 */
export function findChrome(): string {
  const fromEnvironment = process.env.CHROME_PATH;
  if (fromEnvironment) {
    if (existsSync(fromEnvironment)) return fromEnvironment;
    throw new Error(`CHROME_PATH is set to "${fromEnvironment}", but no file exists there.\n${NO_CHROME_MESSAGE}`);
  }
  const found = candidates().find((path) => existsSync(path));
  if (!found) throw new Error(NO_CHROME_MESSAGE);
  return found;
}
