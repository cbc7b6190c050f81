// Every built example (demo/examples/dist/, from demo/examples/) in Chromium, served as
// the demo server serves them (/examples/<name>/ beside /dist/): it shows the current
// consent, follows changes made through the API, and its "Privacy settings" button calls
// kit.showPreferences().
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { createStaticServer, listen, staticHandler } from '../../scripts/static-server.mjs';
import { DIST_DIR, ROOT, launchBrowser } from './helpers.js';

const server = createStaticServer([staticHandler('/dist/', DIST_DIR), staticHandler('/examples/', join(ROOT, 'demo', 'examples', 'dist'))]);
let browser: Browser;
let origin: string;
test.beforeAll(async () => {
  const [launched, port] = await Promise.all([launchBrowser(), listen(server, 0)]);
  browser = launched;
  origin = `http://127.0.0.1:${port}`;
});
test.afterAll(async () => {
  server.closeAllConnections();
  await Promise.all([browser.close(), new Promise((resolve) => server.close(resolve))]);
});

interface Api {
  acceptAll(): void;
  set(i: unknown): void;
  showPreferences(): void;
}
declare const consentkit: Api;
declare let preferencesCalls: number;

for (const name of ['plain', 'react', 'vue', 'bundler'])
  test(`example: ${name}`, async () => {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() == 'error') errors.push(m.text());
      });
      await page.goto(`${origin}/examples/${name}/`);
      const text = (id: string) => page.getByTestId(id).textContent({ timeout: 20000 });

      // Reads the current consent: nothing decided, analytics refused.
      assert.equal(await text('decided'), 'no');
      assert.equal(await text('cat-necessary'), 'granted');
      assert.equal(await text('cat-analytics'), 'refused');
      assert.equal(await page.getByTestId('analytics-content').isVisible(), false);

      // Follows changes made through the API.
      await page.evaluate(() => {
        consentkit.acceptAll();
      });
      await page.getByTestId('analytics-content').waitFor({ state: 'visible', timeout: 20000 });
      assert.equal(await text('decided'), 'yes');
      assert.equal(await text('cat-advertising'), 'granted');
      await page.evaluate(() => {
        consentkit.set({ categories: { functional: true } });
      });
      await page.getByTestId('analytics-content').waitFor({ state: 'hidden', timeout: 20000 });
      assert.equal(await text('cat-analytics'), 'refused');
      assert.equal(await text('cat-functional'), 'granted');

      // The button opens the preferences through the API.
      await page.evaluate(() => {
        window.preferencesCalls = 0;
        consentkit.showPreferences = () => {
          preferencesCalls += 1;
        };
      });
      await page.getByTestId('preferences').click();
      assert.equal(await page.evaluate(() => preferencesCalls), 1);
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });

declare global {
  interface Window {
    preferencesCalls: number;
  }
}
