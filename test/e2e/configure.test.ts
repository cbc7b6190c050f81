// The configuration page (demo/configure.html) as a site owner uses it: change the options,
// check the live preview, copy the snippet with the Copy button, paste it into a fresh page
// on another server, and find the same banner there; add services from the catalog.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Browser, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../scripts/demo-server.mjs';
import { expandService, type Catalog } from '../../src/catalog/catalog.js';
import type { ServiceConfig } from '../../src/gate/core/config.js';
import { ROOT, launchBrowser, startServer, type TestServer } from './helpers.js';

let browser: Browser;
let demo: Demo;
let server: TestServer;

test.beforeAll(async () => {
  [browser, demo, server] = await Promise.all([launchBrowser(), startDemo({ port: 0, dataDir: 'memory://' }), startServer()]);
});
test.afterAll(async () => {
  await Promise.all([browser.close(), demo.close(), server.close()]);
});

interface Banner {
  lang: string;
  layout: string;
  title: string;
  accept: string;
  acceptBackground: string;
}

/** What a visitor sees of the banner in `frame` (a page, or the preview's frame). */
async function banner(frame: Pick<Page, 'waitForFunction' | 'evaluate'>): Promise<Banner> {
  await frame.waitForFunction(() => document.querySelector('consentkit-banner')?.shadowRoot?.querySelector('[part~="accept-all"]'), null, { timeout: 15000 });
  // No helper functions inside: the test runner's transform would name them (__name), which the page lacks.
  return frame.evaluate(() => {
    const el = document.querySelector('consentkit-banner');
    const parts: Record<string, HTMLElement | null | undefined> = {};
    for (const name of ['banner', 'title', 'accept-all']) parts[name] = el?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
    const panel = parts.banner;
    return {
      lang: el?.lang ?? '',
      layout: panel?.classList.contains('box') ? 'box' : panel?.classList.contains('bar') ? 'bar' : (panel?.localName ?? ''),
      title: parts.title?.textContent.trim() ?? '',
      accept: parts['accept-all']?.textContent.trim() ?? '',
      acceptBackground: parts['accept-all'] ? getComputedStyle(parts['accept-all']).backgroundColor : '',
    };
  });
}

/** Waits until the preview's banner title contains `text`; returns the preview's frame. */
async function previewShows(page: Page, text: string) {
  await page.waitForFunction(
    (t) =>
      document
        .querySelector<HTMLIFrameElement>('#preview')
        ?.contentDocument?.querySelector('consentkit-banner')
        ?.shadowRoot?.querySelector('[part~="title"]')
        ?.textContent.includes(t),
    text,
    { timeout: 15000 },
  );
  const frame = await (await page.locator('#preview').elementHandle()).contentFrame();
  assert.ok(frame, 'the preview frame is there');
  return frame;
}

test('configure page: options change the live preview; the copied snippet gives the same banner on a fresh page', async () => {
  const ctx = await browser.newContext();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.url });
  try {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.url}/configure.html`);
    // Defaults: the bar layout, the page's language (English), consentkit's accent colour.
    const initial = await banner(await previewShows(page, 'We value your privacy'));
    assert.equal(initial.layout, 'bar');
    assert.equal(initial.title, 'We value your privacy');
    assert.equal(initial.acceptBackground, 'rgb(29, 78, 216)');

    await page.getByLabel('Box in the corner').check();
    await page.getByLabel('Language').selectOption('de');
    await page.getByLabel('Title').fill('Cookies bei Northwind');
    await page.locator('#accent').fill('#aa3300');
    await page.getByLabel('Advertising').uncheck();
    // The preview follows: German texts with the new title, the box, the new colour. It is
    // re-rendered after each change, so wait for the one after the last change.
    const expected = { lang: 'de', layout: 'box', title: 'Cookies bei Northwind', accept: 'Alle akzeptieren', acceptBackground: 'rgb(170, 51, 0)' };
    const frame = await previewShows(page, 'Cookies bei Northwind');
    let live: Banner | undefined;
    for (const end = Date.now() + 10000; Date.now() < end; ) {
      live = await banner(frame).catch(() => undefined);
      if (live?.acceptBackground == expected.acceptBackground && live.layout == 'box') break;
      await page.waitForTimeout(200);
    }
    assert.deepEqual(live, expected);
    assert.equal(await frame.evaluate(() => document.querySelector('consentkit-banner')?.shadowRoot?.querySelector('[part~="reject-all"]')?.textContent.trim()), 'Alle ablehnen');

    // A contrast below 4.5:1 is pointed out.
    await page.locator('#on-accent').fill('#bbbbbb');
    await page.getByText(/Text on buttons: contrast .* is below the 4.5:1/).waitFor();
    await page.locator('#on-accent').fill('#ffffff');
    await page.waitForFunction(() => document.getElementById('contrast')?.textContent === '');

    // Copy: the clipboard holds exactly the snippet shown; the JSON config is the same config.
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await page.getByText('Copied.').waitFor();
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(snippet, await page.locator('#snippet').textContent());
    await page.getByRole('button', { name: 'Copy JSON' }).click();
    const json = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as Record<string, unknown>;
    assert.deepEqual(json, {
      revision: 1,
      language: 'de',
      categories: [{ id: 'necessary', required: true }, { id: 'functional' }, { id: 'analytics' }],
      ui: { layout: 'box' },
      texts: { de: { 'banner.title': 'Cookies bei Northwind' } },
    });
    assert.match(snippet, /--consentkit-accent: #aa3300;/);
    assert.doesNotMatch(snippet, /consentkit_preview|"report"/, 'the preview-only settings stay out of the snippet');
    assert.deepEqual(errors, []);

    // Paste it into a fresh page on another server (another origin), as a site owner would.
    server.page('/mine.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mine</title>\n${snippet}\n</head><body><p>My page</p></body></html>`);
    const fresh = await (await browser.newContext()).newPage();
    try {
      await fresh.goto(`${server.url}/mine.html`);
      assert.deepEqual(await banner(fresh), expected);
      // The categories chosen are the ones offered.
      await fresh.locator('consentkit-banner [part~="preferences"]').click();
      const sections = fresh.locator('consentkit-preferences [part~="category"]');
      await sections.first().waitFor();
      assert.equal(await sections.count(), 3);
    } finally {
      await fresh.context().close();
    }
  } finally {
    await ctx.close();
  }
});

test('configure page: a title with markup is text, and cannot end the config element early', async () => {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${demo.url}/configure.html`);
    await page.getByLabel('Title').fill('</script><img src=x onerror="window.pwned=1">');
    const snippet = (await page.locator('#snippet').textContent()) ?? '';
    assert.equal(snippet.match(/<\/script>/g)?.length, 2, 'only the two closing tags of the snippet itself');
    server.page('/xss.html', `<!doctype html><html lang="en"><head><title>x</title>${snippet}</head><body></body></html>`);
    const fresh = await ctx.newPage();
    await fresh.goto(`${server.url}/xss.html`);
    const shown = await banner(fresh);
    assert.equal(shown.title, '</script><img src=x onerror="window.pwned=1">');
    assert.equal(await fresh.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  } finally {
    await ctx.close();
  }
});

test('configure page: services found in the catalog by keyboard go into the config, expanded as expandService does', async () => {
  const catalog = JSON.parse(readFileSync(join(ROOT, 'catalog', 'services.json'), 'utf8')) as Catalog;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const configSchemaAccepts = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'consentkit-config.schema.json'), 'utf8')) as object);
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.url}/configure.html`);
    await page.getByRole('status').filter({ hasText: `${catalog.services.length} services in the catalog.` }).waitFor();
    await page.getByLabel('Advertising').uncheck();

    // Found by provider; Enter in the search adds the first match to its usual category.
    const search = page.getByRole('searchbox', { name: 'Find a service by name or provider' });
    await search.fill('stripe payments');
    await page.getByRole('button', { name: 'Add Stripe' }).waitFor();
    await search.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Stripe added to necessary.' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'catalog-search', 'the focus returns to the search');

    // Found by name; the arrow key reaches the match, into a category chosen by hand.
    await page.getByLabel('Add to').selectOption('advertising');
    await search.fill('youtu');
    await search.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Add YouTube');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'YouTube added to advertising.' }).waitFor();
    // The category the service went into is ticked again.
    assert.equal(await page.getByLabel('Advertising').isChecked(), true);
    assert.deepEqual(await page.getByRole('list', { name: 'Added services' }).getByRole('listitem').allTextContents(), [
      'Stripe in necessaryRemove Stripe',
      'YouTube in advertisingRemove YouTube',
    ]);

    const config = JSON.parse((await page.locator('#json').textContent()) ?? '') as { categories: { id: string; services?: ServiceConfig[] }[] };
    assert.ok(configSchemaAccepts(config), ajv.errorsText(configSchemaAccepts.errors));
    const entry = (id: string) => catalog.services.find((s) => s.id == id) ?? assert.fail(`${id} is not in the catalog`);
    assert.deepEqual(
      config.categories.map(({ id, services }) => [id, services]),
      [
        ['necessary', [expandService(entry('stripe'))]],
        ['functional', undefined],
        ['analytics', undefined],
        ['advertising', [expandService(entry('youtube'))]],
      ],
    );
    const snippet = (await page.locator('#snippet').textContent()) ?? '';
    for (const pattern of [...(expandService(entry('stripe')).urls ?? []), ...(expandService(entry('youtube')).urls ?? [])]) assert.ok(snippet.includes(JSON.stringify(pattern)), pattern);

    // Removed again: out of the config, and back among the matches.
    await page.getByRole('button', { name: 'Remove YouTube' }).click();
    await page.getByRole('button', { name: 'Add YouTube' }).waitFor();
    const after = JSON.parse((await page.locator('#json').textContent()) ?? '') as typeof config;
    assert.deepEqual(after.categories.find((c) => c.id == 'advertising'), { id: 'advertising' });
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('configure page: without the catalog it says so, and the rest still works', async () => {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.route('**/dist/catalog/services.json', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(`${demo.url}/configure.html`);
    await page.getByText('The service catalog could not be loaded (HTTP 404)').waitFor();
    await page.getByLabel('Box in the corner').check();
    await page.waitForFunction(() => document.getElementById('json')?.textContent.includes('"box"'));
  } finally {
    await ctx.close();
  }
});
