// `npm run screenshots`: build, serve the demo, and save the banner and the
// preferences dialog at 1280 and 375 px, light and dark, into docs/screenshots/.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from './find-chrome.mjs';
import { createStaticServer, listen, staticHandler } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status || 1);
}

const server = createStaticServer([staticHandler('/dist/', join(root, 'dist')), staticHandler('/', join(root, 'demo'))]);
const port = await listen(server, 0);
const browser = await chromium.launch({ headless: true, executablePath: findChrome(), args: [...CHROME_ARGS] });
try {
  for (const width of [1280, 375]) {
    for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
      const ctx = await browser.newContext({ viewport: { width, height: width > 500 ? 800 : 740 }, colorScheme, reducedMotion: 'reduce' });
      const page = await ctx.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.locator('consentkit-banner [part~="accept-all"]').waitFor();
      const name = `${width}-${colorScheme}`;
      await page.screenshot({ path: join(out, `banner-${name}.png`) });
      await page.locator('consentkit-banner [part~="preferences"]').click();
      await page.locator('consentkit-preferences dialog').waitFor();
      // Show one cookie table open, as a visitor checking the details would.
      await page.locator('consentkit-preferences summary').nth(2).click();
      await page.screenshot({ path: join(out, `dialog-${name}.png`) });
      console.log(`screenshots: ${name}`);
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
