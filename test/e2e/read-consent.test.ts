// The server-side reader against cookies written by the real browser bundle:
// decide in Chromium, carry the cookie jar over as a Cookie header, and
// expect readConsent to give exactly what consentkit.getState() gives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConsentState } from '../../src/core/choice.js';
import { readConsent } from '../../src/server/read-consent.js';
import { launchBrowser, startServer, type TestServer } from './helpers.js';

let browser: Browser;
let server: TestServer;
let ctx: BrowserContext;
let page: Page;

const CONFIG = {
  revision: 'r7',
  cookie: { name: 'site_consent' },
  categories: [
    { id: 'necessary', required: true },
    { id: 'analytics', services: [{ id: 'ga4' }, { id: 'hotjar' }] },
    { id: 'advertising' },
  ],
};

interface Api {
  getState(): ConsentState;
  acceptAll(): void;
  rejectAll(): void;
  withdraw(): void;
  reset(): void;
  set(i: unknown): void;
}
declare const consentkit: Api;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  server.page(
    '/read.html',
    `<!doctype html><html lang="en"><head><title>t</title><script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script><script src="/dist/consentkit.js"></script></head><body></body></html>`,
  );
  ctx = await browser.newContext();
  page = await ctx.newPage();
  await page.goto(`${server.url}/read.html`);
});
after(async () => {
  await ctx.close();
  await Promise.all([browser.close(), server.close()]);
});

/** The Cookie header the browser would send to this site now. */
const cookieHeader = async () =>
  (await ctx.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');

type Method = 'acceptAll' | 'rejectAll' | 'withdraw' | 'reset' | 'set' | 'getState';

/** Calls `method` on the page's API, then compares readConsent(Cookie header) with getState(). */
async function agree(method: Method, arg?: unknown) {
  await page.evaluate(([m, a]) => {
    consentkit[m](a);
  }, [method, arg] as const);
  const inPage = await page.evaluate(() => consentkit.getState());
  const header = await cookieHeader();
  assert.deepEqual(readConsent(header, CONFIG), inPage, `${method}: ${header}`);
  return inPage;
}

test('readConsent agrees with the browser after every kind of decision', async () => {
  await ctx.addCookies([{ name: 'other', value: 'x%20y', url: server.url }]);
  assert.equal((await agree('getState')).decided, false);
  assert.equal((await agree('acceptAll')).categories.advertising, true);
  assert.deepEqual((await agree('set', { categories: { analytics: true }, services: { hotjar: false } })).services, { ga4: true, hotjar: false });
  assert.equal((await agree('rejectAll')).categories.analytics, false);
  assert.equal((await agree('withdraw')).choice?.action, 'withdraw');
  assert.equal((await agree('reset')).decided, false);
  await ctx.clearCookies();
});
test('a real cookie read with another revision, or tampered, is no choice', async () => {
  await page.evaluate(() => {
    consentkit.acceptAll();
  });
  const header = await cookieHeader();
  assert.equal(readConsent(header, CONFIG).decided, true);
  assert.equal(readConsent(header, { ...CONFIG, revision: 'r8' }).decided, false);
  assert.equal(readConsent(header.replace('advertising:1', 'advertising:9'), CONFIG).decided, false);
  await page.evaluate(() => {
    consentkit.reset();
  });
  await ctx.clearCookies();
});
