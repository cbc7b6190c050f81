// The operator dashboard in Chromium, on the demo server (the built endpoint from dist/,
// its dashboard files from dist/admin/, PGlite in memory seeded with the demo records):
// keyboard sign-in, charts and tables drawn from the records, filters, sign-out, axe in
// light and dark, 320 px without horizontal scrolling, and no CSP violation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { startDemo, type Demo, DEMO_RECORDS } from '../../scripts/demo-server.mjs';
import { ROOT, launchBrowser, withPage } from './helpers.js';

let browser: Browser;
let demo: Demo;

test.beforeAll(async () => {
  [browser, demo] = await Promise.all([launchBrowser(), startDemo({ port: 0, dataDir: 'memory://' })]);
});
test.afterAll(async () => {
  await Promise.all([browser.close(), demo.close()]);
});

/** Screenshots of each run, to look at (docs/screenshots/admin-*.png are copies of them). */
const SHOTS = join(ROOT, 'test-results');
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Opens /admin, recording CSP violations and page errors, and signs in with the keyboard only. */
async function signIn(page: Page, token = demo.adminToken) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() == 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(`${demo.url}/admin`);
  // The token field is the first thing Tab reaches.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'token');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  return problems;
}

/** Waits until the dashboard has drawn its charts and filled the latest-records table. */
async function dashboardShown(page: Page) {
  await page.locator('#records-table tbody tr').first().waitFor({ timeout: 60_000 });
  await page.locator('#rate-chart canvas').first().waitFor();
  await page.locator('#actions-chart canvas').first().waitFor();
}

/** How many pixels of the chart's canvas are painted (not transparent). */
const paintedPixels = (page: Page, id: string) =>
  page.evaluate((chartId) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`#${chartId} canvas`);
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  }, id);

async function axeViolations(page: Page) {
  // Every table too: open the "as a table" disclosures first.
  await page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });
  // Evaluated through DevTools, which the page's CSP (script-src 'self') does not apply to.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
  });
}

test.describe('/admin dashboard', () => {
  test('the demo store was seeded with the demo records', () => {
    assert.equal(demo.seeded, DEMO_RECORDS.count);
  });

  test('sign in with the keyboard: charts, summaries and tables show the records; sign out', async () => {
    await withPage(browser, async (page) => {
      const problems = await signIn(page);
      await dashboardShown(page);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'overview', 'focus moves to the dashboard');
      assert.ok(!page.url().includes(demo.adminToken), 'no token in the URL');

      // Both charts are drawn, and each has a text alternative.
      assert.ok((await paintedPixels(page, 'rate-chart')) > 1000);
      assert.ok((await paintedPixels(page, 'actions-chart')) > 1000);
      assert.match(await page.locator('#rate-summary').innerText(), /analytics granted in \d+\.\d % of [\d,]+ decisions/);
      const actionsSummary = await page.locator('#actions-summary').innerText();
      assert.match(actionsSummary, /^[\d,]+ decisions from .*Accept all \d+\.\d % .*Reject all .*Custom .*Withdraw/);
      // The demo records span 60 days: every one of them is in the default range.
      const decisions = Number(/^([\d,]+) decisions/.exec(actionsSummary)?.[1].replaceAll(',', ''));
      assert.ok(decisions >= DEMO_RECORDS.count - 60 && decisions <= DEMO_RECORDS.count, `${decisions} decisions`);
      assert.ok((await page.locator('#rate-table tbody tr').count()) >= 55);
      assert.ok((await page.locator('#actions-table tbody tr').count()) >= 55);
      assert.equal(await page.locator('#records-table tbody tr').count(), 20);
      assert.equal(await page.locator('#rate-chart').getAttribute('role'), 'img');

      // Filter by region with the keyboard: the tables follow.
      await page.locator('#region').focus();
      await page.keyboard.press('ArrowDown'); // from "All regions" to the first region
      const region = await page.locator('#region').inputValue();
      await page.locator('#status').filter({ hasText: `region ${region || '(none)'}` }).waitFor();
      const regions = await page.locator('#records-table tbody tr td:nth-child(4)').allInnerTexts();
      assert.equal(regions.length, 20);
      assert.ok(regions.every((shown) => shown == (region || '–')), `${region}: ${regions.join(' ')}`);

      // Sign out: back to the form, the token forgotten.
      await page.locator('#sign-out').focus();
      await page.keyboard.press('Enter');
      await page.locator('#sign-in').waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'token');
      assert.deepEqual(problems, []);
    });
  });

  test('a wrong token is refused with a message and nothing is shown', async () => {
    await withPage(browser, async (page) => {
      await signIn(page, 'not-the-token');
      await page.locator('#sign-in-error').filter({ hasText: 'Sign-in refused' }).waitFor();
      assert.equal(await page.locator('#dashboard').isHidden(), true);
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    });
  });

  for (const colorScheme of ['light', 'dark'] as const)
    test(`axe finds no violation (${colorScheme}), at 1280 and 320 px, and 320 px does not scroll sideways`, async () => {
      await withPage(browser, async (page) => {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(`${demo.url}/admin`);
        assert.deepEqual(await axeViolations(page), [], 'sign-in form');
        const problems = await signIn(page);
        await dashboardShown(page);
        await page.screenshot({ path: join(SHOTS, `admin-1280-${colorScheme}.png`), fullPage: true });
        assert.deepEqual(await axeViolations(page), [], 'dashboard at 1280 px');

        await page.setViewportSize({ width: 320, height: 800 });
        // The charts redraw at the new width.
        await page.waitForFunction(() => (document.querySelector('#rate-chart canvas')?.getBoundingClientRect().right ?? 1e9) <= 320);
        const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
        assert.ok(widths.page <= widths.viewport, `scroll width ${widths.page} > ${widths.viewport}`);
        assert.deepEqual(await axeViolations(page), [], 'dashboard at 320 px');
        await page.locator('#rate-heading').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `admin-320-${colorScheme}.png`), fullPage: false });
        assert.deepEqual(problems, []);
      });
    });
});
