// The diagnostics part (consentkit-diagnostics.js) in real pages: the gate
// checks the config itself and fails closed at once; the part is fetched only
// for a config with problems, and names each one in the console.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { until, useBrowserAndServer } from './helpers.js';

const env = useBrowserAndServer();

const CATEGORIES = [{ id: 'necessary', required: true }, { id: 'analytics' }];
const page = (config: unknown) => `<!doctype html><html lang="en"><head><title>t</title>
<script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script>
<script src="/dist/consentkit.js"></script>
<script type="text/plain" data-category="analytics">window.analyticsRan = true;</script>
</head><body><p>content</p></body></html>`;

/** Console messages of `type` the page logs. */
const consoleOf = (p: Page, type: 'error' | 'warning') => {
  const messages: string[] = [];
  p.on('console', (m) => {
    if (m.type() == type) messages.push(m.text());
  });
  return messages;
};
const diagnosticsRequests = () => env.server.requests.filter((r) => r.path.startsWith('/dist/consentkit-diagnostics.js'));

interface Api {
  ok: boolean;
  acceptAll(): void;
  isGranted(e: string): boolean;
}
declare const consentkit: Api;

test('a broken config: the field-naming error, and marked scripts stay blocked even after "accept all"', async () => {
  env.server.page('/broken.html', page({ categories: CATEGORIES, cookie: { expiryDays: 400 } }));
  const ctx = await env.browser.newContext();
  try {
    const p = await ctx.newPage();
    const errors = consoleOf(p, 'error');
    await p.goto(`${env.server.url}/broken.html`);
    await until('the field-naming error', () => errors.some((e) => e.includes('[consentkit] invalid config: cookie.expiryDays must be a whole number of days from 1 to 395')));
    assert.equal(diagnosticsRequests().length > 0, true);
    assert.equal(await p.evaluate(() => consentkit.ok), false);
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await p.waitForTimeout(200);
    assert.equal(await p.evaluate(() => consentkit.isGranted('analytics')), false);
    assert.equal(await p.evaluate(() => (window as { analyticsRan?: boolean }).analyticsRan), undefined);
    assert.equal(await p.evaluate(() => document.querySelector('script[data-category=analytics]')?.getAttribute('type')), 'text/plain');
    assert.equal((await ctx.cookies()).length, 0);
  } finally {
    await ctx.close();
  }
});

test('a likely typo: the diagnostics part warns, and the config stays usable', async () => {
  env.server.page('/typo.html', page({ categories: CATEGORIES, revison: 2 }));
  const ctx = await env.browser.newContext();
  try {
    const p = await ctx.newPage();
    const warnings = consoleOf(p, 'warning');
    await p.goto(`${env.server.url}/typo.html`);
    await until('the unknown-field warning', () => warnings.some((w) => w.includes('[consentkit] config: revison is not a known option')));
    assert.equal(await p.evaluate(() => consentkit.ok), true);
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('the granted script to run', () => p.evaluate(() => (window as { analyticsRan?: boolean }).analyticsRan));
  } finally {
    await ctx.close();
  }
});

test('a good config never requests consentkit-diagnostics.js', async () => {
  env.server.page('/good.html', page({ categories: CATEGORIES, ui: { layout: 'box' }, googleConsentMode: true, regions: { default: 'opt-in' } }));
  const ctx = await env.browser.newContext();
  try {
    const p = await ctx.newPage();
    const errors = consoleOf(p, 'error');
    const before = diagnosticsRequests().length;
    await p.goto(`${env.server.url}/good.html`);
    // A decision, a reload and the idle-time parts: still no diagnostics.
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await p.reload();
    await until('the granted script to run', () => p.evaluate(() => (window as { analyticsRan?: boolean }).analyticsRan));
    await p.waitForTimeout(500);
    assert.equal(diagnosticsRequests().length, before);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
