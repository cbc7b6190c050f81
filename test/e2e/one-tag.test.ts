// The built one-tag bundle in real pages: the API on window, the pre-load
// queue, persistence across reloads, bad input, and two tabs kept in sync.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { BrowserContext, Page } from 'playwright-core';
import { useBrowserAndServer } from './helpers.js';

const env = useBrowserAndServer();

const CONFIG = JSON.stringify({
  revision: 1,
  categories: [{ id: 'necessary', required: true }, { id: 'analytics' }, { id: 'advertising' }],
});
const pageWith = (head: string) =>
  `<!doctype html><html lang="en"><head><title>t</title>${head}</head><body><p>content</p></body></html>`;
const tag = (config = CONFIG) =>
  `<script type="application/json" id="consentkit-config">${config}</script><script src="/dist/consentkit.js"></script>`;

interface Api {
  getState(): { decided: boolean; categories: Record<string, boolean> };
  isGranted(e: string): boolean;
  acceptAll(): void;
  set(i: unknown): void;
}
declare const consentkit: Api;

async function withContext(fn: (ctx: BrowserContext) => Promise<void>) {
  const ctx = await env.browser.newContext();
  try {
    await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Console errors the page logs. */
const errorsOf = (page: Page) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() == 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
};

test('window.consentkit works and the choice survives a reload', async () => {
  env.server.page('/basic.html', pageWith(tag()));
  await withContext(async (ctx) => {
    const page = await ctx.newPage();
    await page.goto(`${env.server.url}/basic.html`);
    assert.deepEqual(await page.evaluate(() => consentkit.getState().categories), {
      necessary: true,
      analytics: false,
      advertising: false,
    });
    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await page.reload();
    assert.equal(await page.evaluate(() => consentkit.getState().decided), true);
    assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), true);
    assert.equal(await page.evaluate(() => consentkit.isGranted('advertising')), false);
    const cookies = await ctx.cookies();
    const ck = cookies.find((c) => c.name == 'consentkit');
    assert.ok(ck, 'consent cookie written');
    assert.equal(ck.path, '/');
    assert.equal(ck.sameSite, 'Lax');
    assert.equal(ck.domain, '127.0.0.1');
    assert.ok(ck.value.length < 4000);
  });
});

test('calls queued before the tag run once it loads', async () => {
  env.server.page(
    '/queue.html',
    pageWith(`<script>
      window.consentkit = window.consentkit || [];
      window.log = [];
      consentkit.push(function (ck) { log.push('ready:' + ck.getState().decided); });
      consentkit.push(['set', { categories: { advertising: true } }]);
      addEventListener('consentkit:change', function (e) { log.push('change:' + e.detail.granted.join()); });
    </script>${tag()}`),
  );
  await withContext(async (ctx) => {
    const page = await ctx.newPage();
    await page.goto(`${env.server.url}/queue.html`);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { log: string[] }).log), [
      'ready:false',
      'change:advertising',
    ]);
    assert.equal(await page.evaluate(() => consentkit.isGranted('advertising')), true);
  });
});

test('a malformed cookie counts as no choice and nothing throws', async () => {
  env.server.page('/malformed.html', pageWith(tag()));
  await withContext(async (ctx) => {
    await ctx.addCookies([{ name: 'consentkit', value: '1|garbage|%E0%A4%A|{"x":1}', url: env.server.url }]);
    const page = await ctx.newPage();
    const errors = errorsOf(page);
    await page.goto(`${env.server.url}/malformed.html`);
    assert.equal(await page.evaluate(() => consentkit.getState().decided), false);
    assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), false);
    assert.deepEqual(errors, []);
  });
});

test('invalid config JSON: a console error, nothing granted, the page keeps working', async () => {
  env.server.page('/badjson.html', pageWith(`${tag('{ "revision": 1, ')}<script>window.after = 1;</script>`));
  await withContext(async (ctx) => {
    const page = await ctx.newPage();
    const errors = errorsOf(page);
    await page.goto(`${env.server.url}/badjson.html`);
    assert.equal(await page.evaluate(() => (window as unknown as { after: number }).after), 1);
    assert.ok(errors.some((e) => e.includes('#consentkit-config is not valid JSON')), errors.join('\n'));
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), false);
    assert.equal((await ctx.cookies()).length, 0);
  });
});

test('a config error names the field', async () => {
  env.server.page('/badfield.html', pageWith(tag(JSON.stringify({ cookie: { expiryDays: 400 } }))));
  await withContext(async (ctx) => {
    const page = await ctx.newPage();
    const errors = errorsOf(page);
    await page.goto(`${env.server.url}/badfield.html`);
    assert.ok(errors.some((e) => e.includes('cookie.expiryDays must be a whole number of days from 1 to 395')), errors.join('\n'));
  });
});

test('two tabs stay in sync without a reload and fire change in the other tab', async () => {
  env.server.page('/tab.html', pageWith(tag()));
  await withContext(async (ctx) => {
    const [a, b] = [await ctx.newPage(), await ctx.newPage()];
    await Promise.all([a.goto(`${env.server.url}/tab.html`), b.goto(`${env.server.url}/tab.html`)]);
    // Listen in b before a decides: an evaluate left pending can install its listener after
    // the change has already arrived, and then waits forever.
    await b.evaluate(() => {
      addEventListener('consentkit:change', (e) => {
        (window as unknown as { seen?: unknown }).seen = { granted: e.detail.granted, origin: e.detail.origin };
      });
    });
    await a.evaluate(() => {
      consentkit.acceptAll();
    });
    const changed = await b.waitForFunction(() => (window as unknown as { seen?: unknown }).seen, null, { timeout: 10000 });
    assert.deepEqual(await changed.jsonValue(), { granted: ['analytics', 'advertising'], origin: 'remote' });
    assert.equal(await b.evaluate(() => consentkit.isGranted('advertising')), true);
  });
});

test('loading the bundle twice is harmless', async () => {
  env.server.page('/twice.html', pageWith(`${tag()}<script src="/dist/consentkit.js"></script>`));
  await withContext(async (ctx) => {
    const page = await ctx.newPage();
    const errors = errorsOf(page);
    const readies: number[] = [];
    await page.exposeFunction('sawReady', () => readies.push(1));
    await page.addInitScript(() => {
      addEventListener('consentkit:ready', () => {
        (window as unknown as { sawReady(): void }).sawReady();
      });
    });
    await page.goto(`${env.server.url}/twice.html`);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    assert.equal(readies.length, 1);
    assert.deepEqual(errors, []);
  });
});
