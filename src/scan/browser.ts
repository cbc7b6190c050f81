/**
 * The scanner's Node-only dependencies, optional peer dependencies of the
 * package loaded only here: playwright-core drives the system Chrome/Chromium,
 * and tldts reads the Public Suffix List, which tells sites apart.
 */
import type { Browser } from 'playwright-core';
import type { RegistrableDomain } from './classify.js';
import { CHROME_ARGS, findChrome } from './find-chrome.js';

/** Something missing on the machine (playwright-core, tldts, a browser): the CLI prints it and exits 2. */
export class SetupError extends Error {}

/** What the scanner needs each optional peer dependency for. */
const PURPOSES = {
  'playwright-core': 'to drive Chromium',
  tldts: 'to tell sites apart by the Public Suffix List',
};

/** The message for the missing packages `names`: what each is for, and the one command that installs them. */
export function missingMessage(names: (keyof typeof PURPOSES)[]): string {
  const needs = names.map((name) => `${name} (${PURPOSES[name]})`).join(' and ');
  const one = names.length == 1;
  return `consentkit scan needs ${needs}, which ${one ? 'is' : 'are'} not installed.\nInstall ${one ? 'it' : 'them'} beside consentkit: npm install --save-dev ${names.join(' ')}`;
}

/** The module `load` imports, or null when it is not installed. */
async function importOptional<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code == 'ERR_MODULE_NOT_FOUND' || code == 'MODULE_NOT_FOUND') return null;
    throw error;
  }
}

/** What the scan uses of its optional peer dependencies. */
export interface ScannerDependencies {
  chromium: typeof import('playwright-core').chromium;
  /** The registrable domain of a host, private-domain suffixes (`github.io`) counted as suffixes. */
  registrableDomain: RegistrableDomain;
}

/**
 * playwright-core and tldts, or a SetupError naming every one missing and the install command.
 * A scan never falls back to a rougher idea of a site: it would miss requests to other sites.
 */
export async function loadScannerDependencies(): Promise<ScannerDependencies> {
  const [playwright, tldts] = await Promise.all([importOptional(() => import('playwright-core')), importOptional(() => import('tldts'))]);
  if (!playwright || !tldts) throw new SetupError(missingMessage([...(playwright ? [] : ['playwright-core' as const]), ...(tldts ? [] : ['tldts' as const])]));
  return {
    chromium: playwright.chromium,
    registrableDomain: (host) => tldts.getDomain(host, { allowPrivateDomains: true }),
  };
}

/** Launches the system Chrome/Chromium headless with `extraArgs` (`--chrome-arg`). */
export async function launchChrome(chromium: ScannerDependencies['chromium'], extraArgs: readonly string[] = []): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = findChrome();
  } catch (error) {
    throw new SetupError((error as Error).message);
  }
  try {
    return await chromium.launch({ executablePath, headless: true, args: [...CHROME_ARGS, ...extraArgs] });
  } catch (error) {
    throw new SetupError(`could not start ${executablePath}: ${(error as Error).message.split('\n')[0]}`);
  }
}
