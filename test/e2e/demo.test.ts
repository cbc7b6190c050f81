// The demo site as `npm start` serves it (scripts/demo-server.mjs, the real endpoint with an
// in-memory PGlite): nothing optional runs or is stored before consent, each stand-in runs
// once its category is allowed, embeds wait behind placeholders, the records page shows the
// stored records, and audit mode finds the deliberately unmarked tags.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../scripts/demo-server.mjs';
import { launchBrowser } from './helpers.js';

let browser: Browser;
let demo: Demo;

test.beforeAll(async () => {
  [browser, demo] = await Promise.all([launchBrowser(), startDemo({ port: 0, dataDir: 'memory://', token: 'demo-test-token' })]);
});
test.afterAll(async () => {
  await Promise.all([browser.close(), demo.close()]);
});

interface Finding {
  kind: string;
  name: string;
  category: string;
}
declare const consentkitAudit: { findings: Finding[] } | undefined;
declare const consentkit: { getState(): { choice: { id: string } | null } };

/** A fresh visitor: own cookie jar, page errors collected, vendor requests recorded. */
async function visit(path: string): Promise<{ ctx: BrowserContext; page: Page; errors: string[]; vendor: string[] }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  const vendor: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() == 'error') errors.push(m.text());
  });
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/vendor/') || path.startsWith('/embeds/')) vendor.push(path);
  });
  await page.goto(`${demo.url}${path}`);
  return { ctx, page, errors, vendor };
}
const cookieNames = async (ctx: BrowserContext) => (await ctx.cookies(demo.url)).map((c) => c.name).sort();
const tracker = (page: Page, id: string) => page.locator(`[data-tracker="${id}"]`);

test('demo shop: nothing before consent; Accept all runs analytics, the pixel and both embeds once', async () => {
  const { ctx, page, errors, vendor } = await visit('/');
  try {
    const banner = page.locator('consentkit-banner');
    await banner.getByRole('button', { name: 'Accept all' }).waitFor();
    // Before any click: two placeholders instead of the iframes, no stand-in fetched, no cookie.
    const placeholders = page.locator('[data-consentkit="placeholder"]');
    // The placeholders come with the embeds part (consentkit-embeds.js): wait for the second.
    await placeholders.nth(1).waitFor();
    assert.equal(await placeholders.count(), 2);
    assert.match((await placeholders.first().textContent()) ?? '', /Pour-over in four minutes \(video\) is blocked/);
    assert.equal(await page.locator('iframe').count(), 0);
    assert.match((await tracker(page, 'analytics').textContent()) ?? '', /blocked/);
    await page.waitForTimeout(300);
    assert.deepEqual(vendor, []);
    assert.deepEqual(await cookieNames(ctx), []);

    await banner.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('[data-tracker="analytics"][data-state="ran"]').waitFor();
    await page.locator('[data-tracker="pixel"][data-state="ran"]').waitFor();
    assert.match((await tracker(page, 'analytics').textContent()) ?? '', /G-NORTHWIND/);
    assert.match((await tracker(page, 'pixel').textContent()) ?? '', /tracked PageView/);
    await page.frameLocator('iframe[title^="Pour-over"]').getByText('Stand-in for a YouTube video').waitFor();
    await page.frameLocator('iframe[title^="Map"]').getByText('Stand-in for Google Maps').waitFor();
    assert.equal(await placeholders.count(), 0);
    await page.waitForFunction(() => document.cookie.includes('VISITOR_INFO1_LIVE'));
    assert.deepEqual(await cookieNames(ctx), ['VISITOR_INFO1_LIVE', '_fbp', '_ga', '_ga_NORTHWIND', 'consentkit']);
    // Each stand-in ran exactly once.
    assert.deepEqual(vendor.slice().sort(), ['/embeds/map.html', '/embeds/video.html', '/vendor/analytics.js', '/vendor/pixel.js']);

    // Withdrawal from the footer link: the page reloads once and every cookie the config lists is gone.
    await page.locator('footer').getByRole('button', { name: 'Cookie settings' }).click();
    const reloaded = page.waitForEvent('load');
    await page.locator('consentkit-preferences').getByRole('button', { name: 'Reject all' }).click();
    await reloaded;
    await page.locator('[data-consentkit="placeholder"]').nth(1).waitFor();
    assert.deepEqual(await cookieNames(ctx), ['consentkit']);
    assert.match((await tracker(page, 'analytics').textContent()) ?? '', /blocked/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('demo shop: Reject all keeps everything blocked; "Load this once" loads only that map', async () => {
  const { ctx, page, errors, vendor } = await visit('/');
  try {
    await page.locator('consentkit-banner').getByRole('button', { name: 'Reject all' }).click();
    await page.locator('consentkit-floating').getByRole('button', { name: 'Privacy settings' }).waitFor();
    const map = page.getByRole('group', { name: /Map of the Northwind Roastery is blocked/ });
    await map.getByRole('button', { name: 'Load this once' }).click();
    await page.frameLocator('iframe[title^="Map"]').getByText('Stand-in for Google Maps').waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(vendor, ['/embeds/map.html']);
    assert.equal(await page.locator('[data-consentkit="placeholder"]').count(), 1);
    assert.match((await tracker(page, 'analytics').textContent()) ?? '', /blocked/);
    assert.deepEqual(await cookieNames(ctx), ['consentkit']);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('records page: shows the records the endpoint stored for this browser, with the token the server wrote in', async () => {
  const { ctx, page, errors } = await visit('/');
  try {
    await page.locator('consentkit-banner').getByRole('button', { name: 'Reject all' }).click();
    const id = await page.evaluate(() => consentkit.getState().choice?.id);
    assert.ok(id);
    // A second decision: the history then has two records.
    await page.locator('footer').getByRole('button', { name: 'Cookie settings' }).click();
    await page.locator('consentkit-preferences').getByRole('button', { name: 'Accept all' }).click();

    await page.goto(`${demo.url}/records.html`);
    assert.equal(await page.locator('meta[name="consentkit-demo-token"]').getAttribute('content'), demo.token);
    assert.equal(await page.getByLabel('Consent id').inputValue(), id);
    await page.getByText(/2 records stored for consent id .* \(this browser\)/).waitFor({ timeout: 10000 });
    const actions = await page.locator('#records tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.action));
    assert.deepEqual(actions, ['reject_all', 'accept_all']);
    assert.match((await page.locator('#records tbody tr').last().textContent()) ?? '', /analytics on.*advertising on/);

    // The page uses the endpoint's real, authenticated read: without the token it is refused.
    const res = await page.evaluate((u) => fetch(u).then((r) => r.status), `/api/consent/${id}`);
    assert.equal(res, 401);
    await page.getByLabel('Consent id').fill('00000000-0000-4000-8000-000000000000');
    await page.getByRole('button', { name: 'Show records' }).click();
    await page.getByText('The endpoint answered 404: no records for this consent id').waitFor();
    assert.deepEqual(errors.filter((e) => !/404|401/.test(e)), []);
  } finally {
    await ctx.close();
  }
});

test('audit mode: the audit page\'s unmarked cookie, inline tag and localStorage write are found; the marked shop has no findings', async () => {
  const audit = await visit('/audit.html?consentkit-audit');
  try {
    await audit.page.waitForFunction(() => (consentkitAudit?.findings.length ?? 0) >= 4, null, { timeout: 10000 });
    const findings = await audit.page.evaluate(() => consentkitAudit?.findings.map((f) => `${f.kind} ${f.category} ${f.name}`) ?? []);
    assert.ok(findings.includes('cookie analytics _ga'), String(findings));
    assert.ok(findings.includes('storage unknown chatwidget_visitor'), String(findings));
    assert.ok(findings.some((f) => f.startsWith('script analytics inline: window.dataLayer')), String(findings));
    assert.ok(findings.some((f) => f.startsWith('script unknown inline: localStorage.setItem')), String(findings));
    await audit.page.getByText('consentkit audit: 4 found before consent').waitFor();
  } finally {
    await audit.ctx.close();
  }
  const shop = await visit('/?consentkit-audit');
  try {
    await shop.page.waitForFunction(() => consentkitAudit !== undefined, null, { timeout: 10000 });
    await shop.page.waitForTimeout(1500);
    assert.deepEqual(await shop.page.evaluate(() => consentkitAudit?.findings), []);
    assert.deepEqual(shop.errors, []);
  } finally {
    await shop.ctx.close();
  }
});
