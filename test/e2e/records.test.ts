// Consent records from the built one-tag bundle to the reference endpoint
// (PGlite in memory) on another origin: one record per decision, and none
// lost while the endpoint is refusing connections, failing or hanging.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { test } from '@playwright/test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createConsentHandler, openStore, type ConsentStore } from '../../src/server/index.js';
import { stable, type ConsentRecord } from '../../src/gate/reporting/record.js';
import { launchBrowser, startServer, type TestServer, until, withPage as openPage } from './helpers.js';

type Mode = 'up' | 'error500' | 'hang' | 'refuse400';

let browser: Browser;
let site: TestServer;
let store: ConsentStore;
let endpoint: Server;
let port = 0;
let mode: Mode = 'up';
let posts = 0;
const hanging = new Set<ServerResponse>();

const listen = () => new Promise<void>((resolve) => endpoint.listen(port, '127.0.0.1', resolve));
const stopListening = () =>
  new Promise<void>((resolve) => {
    endpoint.close(() => {
      resolve();
    });
    endpoint.closeAllConnections();
  });

test.beforeAll(async () => {
  [browser, site, store] = await Promise.all([launchBrowser(), startServer(), openStore({ dataDir: 'memory://' })]);
  const handler = createConsentHandler({ store, allowedOrigins: [site.url], rateLimit: false });
  endpoint = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method == 'POST') posts++;
    if (req.method != 'POST' || mode == 'up') {
      handler(req, res);
      return;
    }
    req.resume();
    if (mode == 'hang') {
      hanging.add(res);
      return;
    }
    const [status, error] = mode == 'error500' ? [500, 'database on fire'] : [400, 'categories must be an object'];
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': site.url });
    res.end(JSON.stringify({ error }));
  });
  await listen();
  const address = endpoint.address();
  port = typeof address == 'object' && address ? address.port : 0;
});
test.afterAll(async () => {
  for (const res of hanging) res.destroy();
  if (endpoint.listening) await stopListening();
  await Promise.all([browser.close(), site.close(), store.close()]);
});

const CONFIG = { revision: 2, categories: [{ id: 'necessary', required: true }, { id: 'analytics', services: [{ id: 'ga4' }] }, { id: 'advertising' }] };
const OUTBOX = 'consentkit:outbox:consentkit';

function pageFor(path: string) {
  const config = { ...CONFIG, report: { url: `http://127.0.0.1:${port}/api/consent`, timeout: 1000 } };
  site.page(
    path,
    `<!doctype html><html lang="en-GB"><head><title>t</title><script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script><script src="/dist/consentkit.js"></script></head><body>p</body></html>`,
  );
  return { url: `${site.url}${path}`, config };
}

const withPage = (fn: (page: Page, ctx: BrowserContext) => Promise<void>) => openPage(browser, fn);
/** `until` with the minute a record may take on a loaded machine. */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>) => until(what, fn, 60_000);


declare const consentkit: {
  set(i: unknown): void;
  acceptAll(): void;
  isGranted(e: string): boolean;
  getState(): { choice: { id: string } | null };
  shown: { language: string; texts: Record<string, string> } | null;
};
const outbox = (page: Page) =>
  page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]') as ConsentRecord[], OUTBOX);
/** Decides and reports whether the decision applied synchronously, in the same task. */
const acceptAll = (page: Page) =>
  page.evaluate(() => {
    consentkit.acceptAll();
    return { granted: consentkit.isGranted('analytics'), consentId: consentkit.getState().choice?.id ?? '' };
  });

test('a decision produces exactly one stored record with the right fields', async () => {
  const { url, config } = pageFor('/records/one.html');
  await withPage(async (page) => {
    await page.goto(`${url}?campaign=x#top`);
    // Decide once the banner is up, so the record names the texts the visitor saw.
    await page.waitForFunction(() => consentkit.shown != null);
    // The texts shown at the moment of the decision (the dialog's join them once its part has run).
    const { consentId, shown } = await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true }, services: { ga4: false } });
      return { consentId: consentkit.getState().choice?.id ?? '', shown: consentkit.shown };
    });
    assert.equal(shown?.language, 'en');
    const stored = await waitFor('the record', async () => {
      const h = await store.history(consentId);
      return h.length > 0 && h;
    });
    await waitFor('an empty outbox', async () => (await outbox(page)).length == 0);
    const { record } = stored[0];
    assert.equal(record.schemaVersion, 1);
    assert.equal(record.consentId, consentId);
    assert.match(record.recordId, /^[0-9a-f-]{36}$/);
    assert.equal(record.action, 'custom');
    assert.equal(record.source, 'api');
    assert.equal(record.revision, '2');
    assert.deepEqual(record.categories, { necessary: true, analytics: true, advertising: false });
    assert.deepEqual(record.services, { ga4: false });
    // The language of the texts the visitor was shown: the page is en-GB, the banner English.
    assert.equal(record.language, 'en');
    assert.equal(record.url, url);
    assert.equal(record.gpc, false);
    assert.equal(record.region, undefined);
    assert.match(record.sdkVersion, /^\d+\.\d+\.\d+/);
    assert.equal(record.updatedAt, record.createdAt);
    assert.ok(Math.abs(Date.parse(record.updatedAt) - Date.now()) < 10 * 60_000, 'updatedAt is now');
    assert.equal(record.configHash, createHash('sha256').update(stable({ config, shown })).digest('hex'));
    // Still exactly one after the page had every chance to send more.
    await page.reload();
    await waitFor('an empty outbox after reload', async () => (await outbox(page)).length == 0);
    assert.equal((await store.history(consentId)).length, 1);
  });
});

/** Accept all while the record cannot be delivered: granted at once, and the one record waits in the outbox. */
async function acceptAllIntoOutbox(page: Page) {
  const { granted, consentId } = await acceptAll(page);
  assert.equal(granted, true, 'granted in the same task as the decision');
  const [waiting] = await waitFor('the record in the outbox', async () => {
    const list = await outbox(page);
    return list.length == 1 && list;
  });
  assert.equal(waiting.consentId, consentId);
  return { consentId, waiting };
}

/** The record that waited in the outbox is stored (that one, by its id) and the outbox is empty. */
async function storedOnceFromOutbox(page: Page, consentId: string, recordId: string) {
  const stored = await waitFor('the stored record', async () => {
    const h = await store.history(consentId);
    return h.length > 0 && h;
  });
  await waitFor('an empty outbox', async () => (await outbox(page)).length == 0);
  assert.deepEqual(stored.map((s) => s.record.recordId), [recordId]);
}

const setMode = (m: Mode) => () => {
  mode = m;
  return Promise.resolve();
};
const outages: [string, () => Promise<void>, () => Promise<void>][] = [
  ['connection refused', stopListening, listen],
  ['a 500', setMode('error500'), setMode('up')],
  ['a hang beyond the timeout', setMode('hang'), setMode('up')],
];
for (const [name, breakIt, repair] of outages)
  test(`endpoint down (${name}): the decision applies at once, waits in the outbox, is stored once after a reload`, async () => {
    const { url } = pageFor(`/records/${name.replace(/\W+/g, '-')}.html`);
    await breakIt();
    await withPage(async (page) => {
      try {
        await page.goto(url);
        const before = posts;
        const { consentId, waiting } = await acceptAllIntoOutbox(page);
        // The first attempt failed and a retry began: the record is still waiting.
        if (name != 'connection refused') await waitFor('a retry', () => Promise.resolve(posts - before >= 2));
        assert.deepEqual((await outbox(page)).map((r) => r.recordId), [waiting.recordId]);
        assert.equal((await store.history(consentId)).length, 0);
        // Leave the page, repair the endpoint, come back: the new page view sends it.
        await page.goto('about:blank');
        await repair();
        await page.goto(url);
        await storedOnceFromOutbox(page, consentId, waiting.recordId);
        assert.equal((await store.history(consentId)).length, 1);
      } finally {
        mode = 'up';
        for (const res of hanging) res.destroy();
        hanging.clear();
        if (!endpoint.listening) await listen();
      }
    });
  });

test('a record refused with 400 is dropped with a console error', async () => {
  const { url } = pageFor('/records/refused.html');
  mode = 'refuse400';
  try {
    await withPage(async (page) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() == 'error') errors.push(m.text());
      });
      await page.goto(url);
      const before = posts;
      const { consentId } = await acceptAll(page);
      const error = await waitFor('the console error', () => Promise.resolve(errors.find((e) => e.includes('[consentkit]'))));
      assert.match(error, /HTTP 400: categories must be an object/);
      await waitFor('an empty outbox', async () => (await outbox(page)).length == 0);
      mode = 'up';
      await page.reload();
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      assert.equal(posts - before, 1, 'sent once, never retried');
      assert.equal((await store.history(consentId)).length, 0);
    });
  } finally {
    mode = 'up';
  }
});

/** How many times `consentkit-sender.js` reached the site so far. */
const senderRequests = () => site.requests.filter((r) => r.path.startsWith('/dist/consentkit-sender.js')).length;
/** Lets the page reach idle time (when the gate looks at the outbox) and a little beyond. */
const pastIdle = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 500), { timeout: 3000 })));

test('the gate sends nothing itself: with the sender unreachable the record waits in the outbox, and the next page view loads the sender at idle time and stores it once', async () => {
  const { url } = pageFor('/records/sender-blocked.html');
  await withPage(async (page) => {
    // Only the delivery part is missing: the endpoint is up all along.
    await page.route('**/consentkit-sender.js', (route) => route.abort());
    await page.goto(url);
    const before = posts;
    const { consentId, waiting } = await acceptAllIntoOutbox(page);
    await pastIdle(page);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
    assert.equal(posts - before, 0, 'the gate posted nothing without the sender');
    assert.deepEqual((await outbox(page)).map((r) => r.recordId), [waiting.recordId]);

    // The next page view, sender reachable: it finds the record and loads the sender.
    await page.unroute('**/consentkit-sender.js');
    const requested = senderRequests();
    await page.goto(url);
    await storedOnceFromOutbox(page, consentId, waiting.recordId);
    assert.equal(senderRequests() - requested, 1, 'the sender was loaded once');
    await pastIdle(page);
    assert.equal(posts - before, 1, 'sent once');
    assert.equal((await store.history(consentId)).length, 1);
  });
});

test('a returning visitor with an empty outbox never requests consentkit-sender.js', async () => {
  const { url } = pageFor('/records/returning.html');
  await withPage(async (page) => {
    await page.goto(url);
    const { consentId } = await acceptAll(page);
    await waitFor('the stored record', async () => (await store.history(consentId)).length > 0);
    await waitFor('an empty outbox', async () => (await outbox(page)).length == 0);
    const requested = senderRequests();
    assert.ok(requested >= 1, 'the decision loaded the sender');
    for (let view = 0; view < 2; view++) {
      await page.goto(url);
      assert.equal(await page.evaluate(() => consentkit.getState().choice?.id), consentId, 'a returning visitor');
      await pastIdle(page);
    }
    assert.equal(senderRequests(), requested, 'no sender for page views with nothing to send');
  });
});

test('Accept all on the banner before the dialog\'s part has loaded decides at once, and the record proves the banner\'s and the dialog\'s texts', async () => {
  const { url, config } = pageFor('/records/before-dialog.html');
  await withPage(async (page) => {
    // The dialog's part never arrives; the banner's file carries every English text all the same.
    await page.route('**/consentkit-preferences.js', () => undefined);
    await page.goto(url);
    const accept = page.locator('consentkit-banner').locator('[part=accept-all]');
    await accept.waitFor();
    await accept.click();
    // The decision applied in the click's own task, with no wait for any download.
    const after = await page.evaluate(() => ({ granted: consentkit.isGranted('analytics'), consentId: consentkit.getState().choice?.id ?? '', shown: consentkit.shown }));
    assert.equal(after.granted, true, 'granted at once');
    assert.ok(after.shown, 'kit.shown is set with the banner');
    assert.ok('banner.acceptAll' in after.shown.texts, 'the banner\'s texts');
    assert.ok('prefs.save' in after.shown.texts, 'and the dialog\'s');
    const stored = await waitFor('the record', async () => {
      const h = await store.history(after.consentId);
      return h.length > 0 && h;
    });
    assert.equal(stored[0].record.configHash, createHash('sha256').update(stable({ config, shown: after.shown })).digest('hex'));
  });
});
