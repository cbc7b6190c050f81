// The server-side reader against cookies written by the real browser bundle:
// decide in Chromium (through the API, and with real clicks in the banner and the
// preferences dialog), carry the cookie jar over as a Cookie header, and expect
// readConsent to give exactly what consentkit.getState() gives; a broken cookie is
// no choice on both sides.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConsentState } from '../../src/gate/core/choice.js';
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

test.beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  server.page(
    '/read.html',
    `<!doctype html><html lang="en"><head><title>t</title><script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script><script src="/dist/consentkit.js"></script></head><body></body></html>`,
  );
  ctx = await browser.newContext();
  page = await ctx.newPage();
  await page.goto(`${server.url}/read.html`);
});
test.afterAll(async () => {
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

/** A fresh visitor on read.html who decides with real clicks; returns the agreement check. */
async function decideByClicks(decide: (p: Page) => Promise<void>) {
  const visitor = await browser.newContext();
  try {
    const p = await visitor.newPage();
    await p.goto(`${server.url}/read.html`);
    await decide(p);
    await p.waitForFunction(() => consentkit.getState().decided);
    const inPage = await p.evaluate(() => consentkit.getState());
    const cookies = await visitor.cookies(server.url);
    const header = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    assert.deepEqual(readConsent(header, CONFIG), inPage, header);
    return { inPage, cookie: cookies.find((c) => c.name == 'site_consent') };
  } finally {
    await visitor.close();
  }
}

test('readConsent agrees with decisions clicked in the banner and the preferences dialog', async () => {
  const banner = (name: string) => (p: Page) => p.locator('consentkit-banner').getByRole('button', { name }).click();

  const accepted = await decideByClicks(banner('Accept all'));
  assert.equal(accepted.inPage.choice?.action, 'accept_all');
  assert.equal(accepted.inPage.choice.source, 'banner');
  assert.deepEqual(accepted.inPage.services, { ga4: true, hotjar: true });

  const rejected = await decideByClicks(banner('Reject all'));
  assert.equal(rejected.inPage.choice?.action, 'reject_all');
  assert.deepEqual(rejected.inPage.categories, { necessary: true, analytics: false, advertising: false });

  // Custom: analytics on but its hotjar service off, advertising off, saved in the dialog.
  const custom = await decideByClicks(async (p) => {
    await banner('Preferences')(p);
    const dialog = p.locator('consentkit-preferences');
    await dialog.getByRole('switch', { name: 'Analytics' }).check();
    await dialog.getByRole('switch', { name: 'hotjar' }).uncheck();
    await dialog.getByRole('button', { name: 'Save choices' }).click();
  });
  assert.equal(custom.inPage.choice?.action, 'custom');
  assert.equal(custom.inPage.choice.source, 'preferences');
  assert.deepEqual(custom.inPage.categories, { necessary: true, analytics: true, advertising: false });
  assert.deepEqual(custom.inPage.services, { ga4: true, hotjar: false });
  assert.ok(custom.cookie, 'the consent cookie was written');
});

test('a tampered real cookie is no choice on the server, and in the browser too', async () => {
  const { cookie } = await decideByClicks((p) => p.locator('consentkit-banner').getByRole('button', { name: 'Reject all' }).click());
  assert.ok(cookie);
  // The cookie is written by page script, so it carries no signature: an edit that keeps the
  // format is read as the visitor's own choice. Edits that break it are no choice at all.
  const value = decodeURIComponent(cookie.value);
  assert.match(value, /advertising:0/);
  const edits = [
    value.replace('advertising:0', 'advertising:x'), // a flag that is not 0/1
    value.replace('/advertising:0', ''), // a category left out: the visitor was never asked about it
    value.replace(/^1\|/, '9|'), // an unknown format version
    value.replace(/\|[0-9a-f-]{36}\|/, '|not-a-uuid|'), // a broken consent id
    value.slice(0, 40), // truncated
    'not-ours',
    '',
  ];
  for (const edit of edits) {
    assert.notEqual(edit, value);
    const read = readConsent(`site_consent=${encodeURIComponent(edit)}`, CONFIG);
    assert.deepEqual(read, { decided: false, choice: null, categories: { necessary: true, analytics: false, advertising: false }, services: { ga4: false, hotjar: false } }, edit);
  }
  const tampered = encodeURIComponent(edits[0]);
  const server_ = readConsent(`site_consent=${tampered}`, CONFIG);
  const visitor = await browser.newContext();
  try {
    await visitor.addCookies([{ ...cookie, value: tampered }]);
    const p = await visitor.newPage();
    await p.goto(`${server.url}/read.html`);
    await p.locator('consentkit-banner').getByRole('button', { name: 'Accept all' }).waitFor();
    assert.deepEqual(await p.evaluate(() => consentkit.getState()), server_);
  } finally {
    await visitor.close();
  }
});
