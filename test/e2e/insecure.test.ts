// Plain http outside localhost (an intranet, a phone on the local network): the
// page is no secure context, so crypto.randomUUID and crypto.subtle are missing.
// Consent must still be stored, the banner go and a valid record reach the endpoint.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { createConsentHandler, openStore, type ConsentStore } from '../../src/server/index.js';
import { stable } from '../../src/gate/reporting/record.js';
import { launchBrowser, startServer, type TestServer, until, withPage } from './helpers.js';

let browser: Browser;
let site: TestServer;
let store: ConsentStore;
let origin = '';

test.beforeAll(async () => {
  // insecure.test resolves to the test server: an http origin that is not localhost.
  [browser, site, store] = await Promise.all([
    launchBrowser({ args: ['--host-resolver-rules=MAP insecure.test 127.0.0.1'] }),
    startServer(),
    openStore({ dataDir: 'memory://' }),
  ]);
  origin = site.url.replace('127.0.0.1', 'insecure.test');
  const handler = createConsentHandler({ store, allowedOrigins: [origin], rateLimit: false });
  site.route('/favicon.ico', ({ res }) => {
    res.writeHead(204).end();
  });
  site.route('/api/consent', ({ req, res }) => {
    handler(req, res);
  });
});
test.afterAll(async () => {
  await Promise.all([browser.close(), site.close(), store.close()]);
});

declare const consentkit: {
  getState(): { choice: { id: string } | null };
  shown: { language: string; texts: Record<string, string> } | null;
};

test('an insecure context (http://insecure.test): Accept all stores the cookie, the banner goes, a valid record is stored', async () => {
  const config = {
    revision: 1,
    categories: [{ id: 'necessary', required: true }, { id: 'analytics' }],
    report: { url: '/api/consent', timeout: 2000 },
  };
  site.page(
    '/insecure.html',
    `<!doctype html><html lang="en"><head><title>t</title><script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script><script src="/dist/consentkit.js"></script></head><body><p>p</p></body></html>`,
  );
  await withPage(browser, async (page, ctx) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() == 'error') errors.push(m.text());
    });
    await page.goto(`${origin}/insecure.html`);
    assert.equal(await page.evaluate(() => isSecureContext), false, 'the page is no secure context');
    assert.equal(await page.evaluate(() => typeof crypto.subtle), 'undefined');
    const accept = page.locator('consentkit-banner').getByRole('button', { name: 'Accept all' });
    await accept.click();
    await page.locator('consentkit-banner').getByRole('button', { name: 'Accept all' }).waitFor({ state: 'hidden' });
    const cookie = (await ctx.cookies()).find((c) => c.name == 'consentkit');
    assert.ok(cookie, 'the consent cookie is stored');
    const { consentId, shown } = await page.evaluate(() => ({ consentId: consentkit.getState().choice?.id ?? '', shown: consentkit.shown }));
    assert.match(consentId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const stored = await until(
      'the record',
      async () => {
        const h = await store.history(consentId);
        return h.length > 0 && h;
      },
      60_000,
    );
    const { record } = stored[0];
    assert.equal(record.action, 'accept_all');
    assert.match(record.recordId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(record.categories, { necessary: true, analytics: true });
    // The same SHA-256 a secure context computes with crypto.subtle.
    assert.equal(record.configHash, createHash('sha256').update(stable({ config, shown })).digest('hex'));
    assert.ok(!('pendingHash' in record), 'nothing internal reaches the endpoint');
    await until('an empty outbox', () => page.evaluate(() => localStorage.getItem('consentkit:outbox:consentkit') == null));
    assert.deepEqual(errors, []);
  });
});
