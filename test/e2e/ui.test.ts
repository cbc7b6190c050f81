// The built gate and UI in real pages: the UI file loads only when something
// must be shown, one click decides, the way back works, Escape never grants.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { BrowserContext, Page } from 'playwright-core';
import { part, until, useBrowserAndServer, withPage as openPage } from './helpers.js';

const env = useBrowserAndServer();

const CONFIG = JSON.stringify({
  categories: [{ id: 'necessary', required: true }, { id: 'analytics' }, { id: 'advertising' }],
});
const pageWith = (body = '', nonce = '') =>
  `<!doctype html><html lang="en"><head><title>t</title>
<script type="application/json" id="consentkit-config">${CONFIG}</script>
<script src="/dist/consentkit.js"${nonce ? ` nonce="${nonce}"` : ''}></script></head>
<body><h1>Shop</h1><p><a href="#a">A link</a></p>${body}</body></html>`;

interface Api {
  getState(): { decided: boolean; categories: Record<string, boolean>; choice: { action: string } | null };
  isGranted(e: string): boolean;
}
declare const consentkit: Api;

const withPage = (fn: (page: Page, ctx: BrowserContext) => Promise<void>) => openPage(env.browser, fn);

const uiRequests = () => env.server.requests.filter((r) => r.path.startsWith('/dist/consentkit-ui.js')).length;

test('first visit loads the UI file and shows the banner; reject takes one click; the next visit does not download the UI', async () => {
  env.server.page('/first.html', pageWith());
  await withPage(async (page) => {
    const before = uiRequests();
    await page.goto(`${env.server.url}/first.html`);
    await part(page, 'consentkit-banner', 'reject-all').click();
    assert.equal(uiRequests(), before + 1);
    assert.equal(await page.evaluate(() => consentkit.getState().choice?.action), 'reject_all');
    assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), false);
    await part(page, 'consentkit-banner', 'banner').waitFor({ state: 'detached' });
    await page.locator('consentkit-floating [part=floating]').waitFor();

    const afterFirst = uiRequests();
    await page.reload();
    await page.locator('consentkit-floating [part=floating]').waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(uiRequests(), afterFirst, 'a returning visitor must not download consentkit-ui.js');
    assert.equal(await page.locator('consentkit-banner').count(), 0);
  });
});

test('accept takes one click; the banner text comes in the page language', async () => {
  env.server.page('/de.html', pageWith().replace('lang="en"', 'lang="de"'));
  await withPage(async (page) => {
    await page.goto(`${env.server.url}/de.html`);
    const accept = part(page, 'consentkit-banner', 'accept-all');
    assert.equal(await accept.textContent(), 'Alle akzeptieren');
    assert.equal(await part(page, 'consentkit-banner', 'banner').getAttribute('lang'), 'de');
    await accept.click();
    assert.equal(await page.evaluate(() => consentkit.isGranted('analytics advertising')), true);
  });
});

test('Escape, clicks and scrolling on the page never grant', async () => {
  env.server.page('/esc.html', pageWith('<div style="height:3000px"></div>'));
  await withPage(async (page) => {
    await page.goto(`${env.server.url}/esc.html`);
    await part(page, 'consentkit-banner', 'accept-all').waitFor();
    await page.mouse.wheel(0, 2000);
    await page.locator('h1').click();
    assert.equal(await page.evaluate(() => consentkit.getState().decided), false);
    await part(page, 'consentkit-banner', 'reject-all').focus();
    await page.keyboard.press('Escape');
    await part(page, 'consentkit-banner', 'banner').waitFor({ state: 'detached' });
    const state = await page.evaluate(() => consentkit.getState());
    assert.equal(state.choice?.action, 'close');
    assert.deepEqual(state.categories, { necessary: true, analytics: false, advertising: false });
  });
});

test('the floating button and data-consentkit="preferences" open the dialog; focus returns; withdrawal is one click', async () => {
  env.server.page('/back.html', pageWith('<p><button data-consentkit="preferences">Cookie settings</button></p>'));
  await withPage(async (page) => {
    await page.goto(`${env.server.url}/back.html`);
    await part(page, 'consentkit-banner', 'accept-all').click();
    const floating = page.locator('consentkit-floating [part=floating]');
    assert.equal(await floating.getAttribute('aria-label'), 'Privacy settings');
    const box = await floating.boundingBox();
    assert.ok(box && box.width >= 24 && box.height >= 24);

    await floating.focus();
    await page.keyboard.press('Enter');
    const dialog = part(page, 'consentkit-preferences', 'dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'CONSENTKIT-FLOATING');
    assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), true, 'Escape changed nothing');

    await page.getByText('Cookie settings').click();
    await dialog.waitFor();
    await part(page, 'consentkit-preferences', 'reject-all').click();
    assert.equal(await page.evaluate(() => consentkit.getState().choice?.action), 'withdraw');
    assert.equal(await part(page, 'consentkit-preferences', 'status').textContent(), 'Your choices have been saved.');
  });
});

test('the banner is shown and clickable before consentkit-preferences.js arrives; Preferences opens on the first click', async () => {
  env.server.page('/split.html', pageWith());
  await withPage(async (page) => {
    // Hold the dialog's file until released: the banner must not need it.
    const requested: string[] = [];
    let release: (() => void) | undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/dist/consentkit-preferences.js', async (route) => {
      requested.push(route.request().url());
      await released;
      await route.continue();
    });
    await page.goto(`${env.server.url}/split.html`);
    const accept = part(page, 'consentkit-banner', 'accept-all');
    await accept.waitFor();
    assert.equal(await part(page, 'consentkit-banner', 'banner').getAttribute('aria-labelledby'), 'title');
    await accept.click({ trial: true });
    assert.equal(await page.evaluate(() => typeof customElements.get('consentkit-preferences')), 'undefined', 'the banner runs without the dialog');

    // One click on Preferences while the file is still on its way, then the file.
    await part(page, 'consentkit-banner', 'preferences').click();
    await until('the dialog file is asked for', () => requested.length > 0);
    release?.();
    await part(page, 'consentkit-preferences', 'dialog').waitFor();
    assert.equal(requested.length, 1, 'fetched once');
    assert.equal(await page.evaluate(() => consentkit.getState().decided), false, 'opening decides nothing');
  });
});

test('the banner is shown and clickable with consentkit-preferences.js never requested; the pointer on Preferences fetches it', async () => {
  env.server.page('/hint.html', pageWith());
  await withPage(async (page) => {
    // No idle time for the page: only the pointer can ask for the file.
    await page.addInitScript(() => {
      window.requestIdleCallback = () => 0;
    });
    const requested: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/dist/consentkit-preferences.js')) requested.push(request.url());
    });
    await page.goto(`${env.server.url}/hint.html`);
    const preferences = part(page, 'consentkit-banner', 'preferences');
    await preferences.waitFor();
    await part(page, 'consentkit-banner', 'reject-all').click({ trial: true });
    await part(page, 'consentkit-banner', 'accept-all').click({ trial: true });
    await page.waitForLoadState('networkidle');
    assert.equal(requested.length, 0, 'not before the visitor moves toward it');
    await preferences.hover();
    await until('the dialog file is fetched', () => requested.length > 0);
    await page.waitForFunction(() => customElements.get('consentkit-preferences') !== undefined);
    assert.equal(await page.locator('consentkit-preferences').count(), 0, 'fetched, not opened');
  });
});

test('the UI script carries the gate nonce under a nonce-only CSP', async () => {
  const nonce = 'r4nd0mN0nce';
  env.server.page('/csp.html', pageWith('', nonce).replace('<script type="application/json"', `<script nonce="${nonce}" type="application/json"`), {
    'content-security-policy': `script-src 'nonce-${nonce}'`,
  });
  await withPage(async (page) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() == 'error') violations.push(m.text());
    });
    await page.goto(`${env.server.url}/csp.html`);
    await part(page, 'consentkit-banner', 'accept-all').waitFor();
    assert.deepEqual(violations, []);
  });
});

test('showPreferences() right after a save opens the dialog again (same task, and 16 ms later)', async () => {
  env.server.page('/reopen.html', pageWith());
  await withPage(async (page) => {
    await page.goto(`${env.server.url}/reopen.html`);
    await part(page, 'consentkit-banner', 'preferences').click();
    const dialog = part(page, 'consentkit-preferences', 'dialog');
    await dialog.waitFor();
    for (const delay of [0, 16, 0, 16]) {
      // Saved at the start of a frame: Chromium fires the dialog's close event at the
      // next one, after a reopening in the same task has drawn the new dialog.
      await page.evaluate(
        (ms) =>
          new Promise<void>((resolve) => {
            requestAnimationFrame(() => {
              const kit = consentkit as Api & { showPreferences(): void };
              document.querySelector('consentkit-preferences')?.shadowRoot?.querySelector<HTMLElement>('[part=save]')?.click();
              if (ms)
                setTimeout(() => {
                  kit.showPreferences();
                }, ms);
              else kit.showPreferences();
              resolve();
            });
          }),
        delay,
      );
      assert.equal(await page.evaluate(() => consentkit.getState().choice?.action), 'custom');
      await page.waitForTimeout(300);
      const open = await page.evaluate(() => document.querySelector('consentkit-preferences')?.shadowRoot?.querySelector('dialog')?.open ?? false);
      assert.equal(open, true, `reopened ${delay ? `${delay} ms after` : 'in the same task as'} the save`);
    }
  });
});

test('a choice made in another tab closes the banner here too, for good', async () => {
  env.server.page('/tabs.html', pageWith());
  await withPage(async (first, ctx) => {
    const second = await ctx.newPage();
    for (const page of [first, second]) {
      await page.goto(`${env.server.url}/tabs.html`);
      await part(page, 'consentkit-banner', 'accept-all').waitFor();
    }
    await part(first, 'consentkit-banner', 'reject-all').click();
    await until('the other tab adopts the choice', () => second.evaluate(() => consentkit.getState().decided));
    await part(second, 'consentkit-banner', 'banner').waitFor({ state: 'detached', timeout: 5000 });
    await second.waitForTimeout(500);
    assert.equal(await part(second, 'consentkit-banner', 'banner').count(), 0, 'the banner came back');
    assert.equal(await second.evaluate(() => consentkit.getState().choice?.action), 'reject_all');
  });
});

test('an undecided visitor\'s banner file is fetched while the page is still parsed, not after it', async () => {
  // A slow ordinary script in the body holds the parser (and DOMContentLoaded) for a while.
  let uiRequestedWhileHeld = false;
  let held = false;
  env.server.route('/js/hold-parser.js', async ({ res }) => {
    held = true;
    const before = uiRequests();
    for (let waited = 0; waited < 1500 && uiRequests() == before; waited += 50) await new Promise((r) => setTimeout(r, 50));
    uiRequestedWhileHeld = uiRequests() > before;
    held = false;
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end('window.heldParser = true;');
  });
  env.server.page('/early-ui.html', pageWith('<script src="/js/hold-parser.js"></script><p>after the slow script</p>'));
  await withPage(async (page) => {
    await page.goto(`${env.server.url}/early-ui.html`);
    await part(page, 'consentkit-banner', 'accept-all').waitFor();
    assert.equal(held, false);
    assert.equal(uiRequestedWhileHeld, true, 'consentkit-ui.js was requested while the parser waited for the slow script');
  });
});
