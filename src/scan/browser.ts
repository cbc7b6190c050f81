/**
 * Starting the browser for `consentkit scan`: the system Chrome/Chromium,
 * driven through playwright-core, an optional peer dependency loaded only here.
 */
import type { Browser } from 'playwright-core';
import { CHROME_ARGS, findChrome } from './find-chrome.js';

/** Something missing on the machine (playwright-core, a browser): the CLI prints it and exits 2. */
export class SetupError extends Error {}

export const NO_PLAYWRIGHT_MESSAGE =
  'consentkit scan drives Chromium through playwright-core, which is not installed.\nInstall it beside consentkit: npm install --save-dev playwright-core';

/** playwright-core, or a SetupError naming the install command when it is missing. */
export async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code == 'ERR_MODULE_NOT_FOUND' || code == 'MODULE_NOT_FOUND') throw new SetupError(NO_PLAYWRIGHT_MESSAGE);
    throw error;
  }
}

/** Launches the system Chrome/Chromium headless with `extraArgs` (`--chrome-arg`). */
export async function launchChrome(extraArgs: readonly string[] = []): Promise<Browser> {
  const { chromium } = await loadPlaywright();
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
