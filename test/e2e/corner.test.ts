// The corner buttons (round button, Withdraw consent, the opt-out pill) in real
// pages: they never leave page content hidden under them, and they speak the
// page's language like the banner does.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { useBrowserAndServer, withPage } from './helpers.js';

const env = useBrowserAndServer();

const CATEGORIES = [{ id: 'necessary', required: true }, { id: 'analytics' }, { id: 'advertising', saleOrShare: true }];
const site = (config: object, body: string, lang = 'en') =>
  `<!doctype html><html lang="${lang}"><head><title>t</title><meta name="viewport" content="width=device-width">
<script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script>
<script src="/dist/consentkit.js"></script>
<style>body{margin:0;font:16px sans-serif}main{height:150vh}footer a{display:block;padding:4px 16px}</style></head>
<body>${body}</body></html>`;
const FOOTER = '<main>Content</main><footer><a href="#imprint" id="last">Imprint</a></footer>';

declare const consentkit: { acceptAll(): void };

interface Box { x: number; y: number; width: number; height: number }
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).boundingBox();
  assert.ok(b, `${selector} is shown`);
  return b;
};
const scrollToEnd = (page: Page) =>
  page.evaluate(async () => {
    scrollTo(0, document.documentElement.scrollHeight);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });

for (const width of [1024, 320]) {
  test(`${width} px: after scrolling to the end, the last footer link is not under the round button or the withdraw pill`, async () => {
    env.server.page(`/corner-${width}.html`, site({ categories: CATEGORIES }, FOOTER));
    await withPage(env.browser, async (page) => {
      await page.setViewportSize({ width, height: 600 });
      await page.goto(`${env.server.url}/corner-${width}.html`);
      await page.evaluate(() => {
        consentkit.acceptAll();
      });
      await page.locator('consentkit-withdraw [part=withdraw]').waitFor();
      await page.locator('consentkit-floating [part=floating]').waitFor();
      await scrollToEnd(page);
      const link = await box(page, '#last');
      for (const corner of ['consentkit-floating [part=floating]', 'consentkit-withdraw [part=withdraw]'])
        assert.ok(!intersects(link, await box(page, corner)), `the link ${JSON.stringify(link)} is clear of ${corner}`);
    });
  });
}

test('320 px, opt-out region: the opt-out pill ends 8 px or more from the right edge and leaves the footer link clear', async () => {
  env.server.page('/corner-optout.html', site({ categories: CATEGORIES, regions: { default: 'opt-out' } }, FOOTER));
  await withPage(env.browser, async (page) => {
    await page.setViewportSize({ width: 320, height: 600 });
    await page.goto(`${env.server.url}/corner-optout.html`);
    await page.locator('consentkit-floating [part=floating]').waitFor();
    await scrollToEnd(page);
    const pill = await box(page, 'consentkit-floating [part=floating]');
    assert.ok(pill.x + pill.width <= 320 - 8, `the pill ends at ${pill.x + pill.width} px`);
    assert.ok(!intersects(await box(page, '#last'), pill), 'the link is clear of the pill');
  });
});

const EMBED = '<iframe data-category="analytics" data-src="/frame.html" title="Our video"></iframe>';

test('a German page (<html lang="de">) shows German corner and placeholder texts without config.texts', async () => {
  env.server.page('/corner-de.html', site({ categories: CATEGORIES }, EMBED, 'de'));
  await withPage(env.browser, async (page) => {
    await page.goto(`${env.server.url}/corner-de.html`);
    // The banner, the placeholder and (after the decision) the corner, all in German.
    await page.locator('consentkit-banner [part~="reject-all"]').click();
    const placeholder = page.locator('[data-consentkit="placeholder"]');
    assert.equal(await placeholder.getAttribute('aria-label'), 'Our video ist blockiert. Dafür ist Ihre Einwilligung in „Statistik“ nötig.');
    assert.deepEqual(await placeholder.locator('button').allTextContents(), ['Einmal laden', '„Statistik“ immer erlauben']);
    const floating = page.locator('consentkit-floating [part=floating]');
    await floating.waitFor();
    assert.equal(await floating.getAttribute('aria-label'), 'Datenschutzeinstellungen');
    assert.equal(await page.locator('consentkit-floating').getAttribute('lang'), 'de');
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    const withdraw = page.locator('consentkit-withdraw [part=withdraw]');
    await withdraw.waitFor();
    assert.equal(await withdraw.textContent(), 'Einwilligung widerrufen');
    assert.equal(await page.locator('consentkit-withdraw').getAttribute('lang'), 'de');
  });
});

test('a page without lang picks the same language in every part, from navigator.languages', async () => {
  env.server.page('/corner-nolang.html', site({ categories: CATEGORIES }, EMBED).replace('<html lang="en">', '<html>'));
  const ctx = await env.browser.newContext({ locale: 'fr-FR' });
  try {
    const page = await ctx.newPage();
    await page.goto(`${env.server.url}/corner-nolang.html`);
    assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, navigator.languages[0]]), ['', 'fr-FR']);
    const banner = page.locator('consentkit-banner');
    await banner.locator('[part~="reject-all"]').waitFor();
    assert.equal(await banner.getAttribute('lang'), 'fr');
    const placeholder = page.locator('[data-consentkit="placeholder"]');
    assert.deepEqual(await placeholder.locator('button').allTextContents(), ['Charger cette fois', 'Toujours autoriser « Mesure d’audience »']);
    await banner.locator('[part~="accept-all"]').click();
    const withdraw = page.locator('consentkit-withdraw [part=withdraw]');
    await withdraw.waitFor();
    assert.equal(await withdraw.textContent(), 'Retirer mon consentement');
    assert.equal(await page.locator('consentkit-floating [part=floating]').getAttribute('aria-label'), 'Paramètres de confidentialité');
  } finally {
    await ctx.close();
  }
});
