// `npm run screenshots`: build, serve the demo, and save the banner and the
// preferences dialog at 1280 and 375 px, light and dark, into docs/screenshots/.
// `npm run screenshots -- --languages`: instead, the banner and the dialog at 375 px in
// German, Finnish, Arabic, Japanese and Thai, into docs/screenshots/languages/ (the
// machine needs fonts for those scripts: see docs/languages.md).
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
/** The banner and the open dialog of the demo in each language, at 375 px. */
async function languageShots() {
  const dir = join(out, 'languages');
  mkdirSync(dir, { recursive: true });
  for (const lang of ['de', 'fi', 'ar', 'ja', 'th']) {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, reducedMotion: 'reduce' });
    const page = await ctx.newPage();
    // The demo's config, shown in `lang`.
    await page.route('**/consentkit-config.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${await response.text()}\nwindow.consentkitConfig.language = ${JSON.stringify(lang)};` });
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('consentkit-banner [part~="accept-all"]').waitFor();
    await page.screenshot({ path: join(dir, `banner-${lang}.png`) });
    await page.locator('consentkit-banner [part~="preferences"]').click();
    await page.locator('consentkit-preferences dialog').waitFor();
    // Its top: the title, the explanation and the first categories.
    await page.screenshot({ path: join(dir, `dialog-${lang}.png`) });
    console.log(`screenshots: languages/${lang}`);
    await ctx.close();
  }
}

try {
  if (process.argv.includes('--languages')) await languageShots();
  else {
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
  }
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
