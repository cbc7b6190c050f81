// Audit mode with the service catalog (dist/catalog/services.json, fetched from beside
// consentkit.js): what the config does not list is named after its catalog entry, with
// the expanded service to add; without the catalog, audit still works and says so. And
// the limits of auto-blocking: tags before the consentkit tag, and workers.
// The third-party hosts never resolve (no internet in tests): audit mode reads the tags,
// cookies and storage of the page, whether or not what they point at loads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { expandService, type Catalog } from '../../src/catalog/catalog.js';
import type { AuditFinding } from '../../src/parts/audit/types.js';
import { ROOT, launchBrowser, startServer, type TestServer } from './helpers.js';

let browser: Browser;
let server: TestServer;
const catalog = JSON.parse(readFileSync(join(ROOT, 'catalog', 'services.json'), 'utf8')) as Catalog;
const expanded = (id: string) => expandService(catalog.services.find((s) => s.id == id) ?? assert.fail(`${id} is not in the catalog`));

test.beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser({ args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] }), startServer()]);
  server.route('/worker.js', ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end('postMessage("worker ran");');
  });
  server.route('/sw.js', ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end('self.addEventListener("fetch", () => {});');
  });
});
test.afterAll(async () => {
  await Promise.all([browser.close(), server.close()]);
});

const CONFIG = `<script type="application/json" id="consentkit-config">${JSON.stringify({ revision: 1 })}</script>`;
const GATE = '<script src="/dist/consentkit.js"></script>';

/** Opens `html` at `path` with `?consentkit-audit` in a fresh context; `prepare` runs before the page loads. */
async function audit(path: string, html: string, fn: (p: Page, logs: string[]) => Promise<void>, prepare?: (p: Page) => Promise<void>) {
  server.page(path, html);
  const ctx = await browser.newContext();
  try {
    const p = await ctx.newPage();
    const logs: string[] = [];
    p.on('console', (m) => logs.push(m.text()));
    await prepare?.(p);
    await p.goto(`${server.url}${path}?consentkit-audit`);
    await p.waitForFunction(() => window.consentkitAudit && window.consentkitAudit.catalog != 'loading', undefined, { timeout: 20000 });
    await fn(p, logs);
  } finally {
    await ctx.close();
  }
}

const findings = (p: Page) => p.evaluate(() => window.consentkitAudit?.findings ?? []);

const catalogPage = `<!doctype html><html lang="en"><head><title>audit catalog</title>${CONFIG}${GATE}
<script src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">
<script>document.cookie = '_ga=GA1.1.1.1; path=/'; localStorage.setItem('yt-remote-device-id', 'x'); localStorage.setItem('own-key', 'x');</script>
</head><body><iframe title="video" src="https://www.youtube.com/embed/abc"></iframe><img alt="" src="https://i.ytimg.com/vi/abc/hqdefault.jpg"></body></html>`;

test('audit names what the config does not list after its catalog entry, and offers the expanded service', async () => {
  await audit('/audit-catalog.html', catalogPage, async (p, logs) => {
    assert.equal(await p.evaluate(() => window.consentkitAudit?.catalog), 'loaded');
    const expected: [AuditFinding['kind'], string, string][] = [
      ['script', 'https://www.googletagmanager.com/gtag/js?id=G-TEST', 'google-analytics'],
      ['stylesheet', 'https://fonts.googleapis.com/css2?family=Roboto', 'google-fonts'],
      ['cookie', '_ga', 'google-analytics'],
      ['storage', 'yt-remote-device-id', 'youtube'],
      ['iframe', 'https://www.youtube.com/embed/abc', 'youtube'],
      ['image', 'https://i.ytimg.com/vi/abc/hqdefault.jpg', 'youtube'],
    ];
    await p.waitForFunction((n) => (window.consentkitAudit?.findings.filter((f) => f.catalog).length ?? 0) >= n, expected.length, { timeout: 20000 });
    const found = await findings(p);
    for (const [kind, name, id] of expected) {
      const finding = found.find((f) => f.kind == kind && f.name == name);
      assert.ok(finding, `${kind} ${name} in ${JSON.stringify(found.map((f) => [f.kind, f.name]))}`);
      const entry = expanded(id);
      assert.deepEqual(
        { catalog: finding.catalog, basis: finding.basis, category: finding.category, service: finding.service },
        { catalog: id, basis: 'catalog', category: catalog.services.find((s) => s.id == id)?.category, service: entry },
      );
    }
    // What no entry names keeps the table's guess.
    assert.deepEqual(
      found.filter((f) => f.name == 'own-key').map(({ basis, catalog: id }) => [basis, id]),
      [['guess', undefined]],
    );
    // The snippet to add is in the overlay and the console, once per service.
    await p.waitForFunction(() => document.querySelector('consentkit-audit')?.shadowRoot?.textContent.includes('Catalog services to add'));
    const overlay = await p.evaluate(() => document.querySelector('consentkit-audit')?.shadowRoot?.textContent ?? '');
    assert.ok(overlay.includes(JSON.stringify(expanded('youtube'), null, 2)), overlay);
    assert.equal(logs.filter((l) => l.startsWith('[consentkit audit] YouTube is in the service catalog')).length, 1, logs.join('\n'));
    assert.ok(
      logs.some((l) => l.includes(JSON.stringify(expanded('google-fonts'), null, 2))),
      logs.join('\n'),
    );
  });
});

test('without the catalog, audit still reports everything by the built-in table and says why', async () => {
  await audit(
    '/audit-no-catalog.html',
    catalogPage,
    async (p, logs) => {
      assert.equal(await p.evaluate(() => window.consentkitAudit?.catalog), 'unavailable');
      await p.waitForFunction(() => window.consentkitAudit?.findings.some((f) => f.name == '_ga'), undefined, { timeout: 20000 });
      await p.waitForFunction(() => window.consentkitAudit?.findings.some((f) => f.kind == 'iframe'), undefined, { timeout: 20000 });
      const found = await findings(p);
      const judged = (kind: string, name: string) =>
        found.filter((f) => f.kind == kind && f.name == name).map(({ category, basis, catalog: id, service }) => ({ category, basis, id, service }));
      assert.deepEqual(judged('cookie', '_ga'), [{ category: 'analytics', basis: 'guess', id: undefined, service: undefined }]);
      assert.deepEqual(judged('iframe', 'https://www.youtube.com/embed/abc'), [{ category: 'functional', basis: 'guess', id: undefined, service: undefined }]);
      assert.ok(
        logs.some((l) => /the service catalog \(http:\/\/127\.0\.0\.1:\d+\/dist\/catalog\/services\.json\) could not be fetched: HTTP 404/.test(l)),
        logs.join('\n'),
      );
      await p.waitForFunction(() => document.querySelector('consentkit-audit')?.shadowRoot?.textContent.includes('The service catalog could not be fetched'));
    },
    async (p) => {
      await p.route('**/dist/catalog/services.json', (route) => route.fulfill({ status: 404, body: 'gone' }));
    },
  );
});

test('a tag the catalog or the config names that stands before the consentkit tag is a limit, reported whatever the visitor chose', async () => {
  const page = `<!doctype html><html lang="en"><head><title>early</title>
<script src="https://www.googletagmanager.com/gtag/js?id=G-EARLY"></script>
<script src="https://js.stripe.com/v3/"></script>
<script type="text/plain" data-category="analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-MARKED"></script>
${CONFIG}${GATE}
<script src="https://www.googletagmanager.com/gtag/js?id=G-LATE"></script>
</head><body></body></html>`;
  await audit(
    '/audit-early.html',
    page,
    async (p) => {
      assert.equal(await p.evaluate(() => document.cookie.includes('consentkit')), true, 'everything was granted');
      await p.waitForFunction(() => window.consentkitAudit?.findings.some((f) => f.kind == 'early-tag'), undefined, { timeout: 20000 });
      const early = (await findings(p)).filter((f) => f.kind == 'early-tag');
    assert.deepEqual(
      early.map(({ name, category, catalog: id }) => [name, category, id]),
      [
        ['https://www.googletagmanager.com/gtag/js?id=G-EARLY', 'analytics', 'google-analytics'],
        ['https://js.stripe.com/v3/', 'necessary', 'stripe'],
      ],
    );
      assert.match(early[0].advice ?? '', /before consentkit could block it: move it after the consentkit tag/);
      // Granted, the analytics tags are no other findings; Stripe, in no category of the config, still is.
      assert.deepEqual(
        (await findings(p)).filter((f) => f.kind == 'script').map((f) => f.name),
        ['https://js.stripe.com/v3/'],
      );
      await p.waitForFunction(() => document.querySelector('consentkit-audit')?.shadowRoot?.textContent.includes('Auto-blocking cannot stop these'));
    },
    // A visitor who granted everything: the early tags are still a limit.
    async (p) => {
      await p.goto(`${server.url}/audit-early.html`);
      await p.evaluate(() => {
        (window.consentkit as { acceptAll(): void }).acceptAll();
      });
    },
  );
});

test('workers are a limit: one started before audit mode, one after, and a service worker', async () => {
  const page = `<!doctype html><html lang="en"><head><title>workers</title>${CONFIG}${GATE}
<script>window.early = new Worker('/worker.js?started=early');</script>
</head><body></body></html>`;
  await audit('/audit-workers.html', page, async (p) => {
    await p.evaluate(async () => {
      const late = new Worker('/worker.js?started=late');
      window.lateRan = new Promise((resolve) => {
        late.addEventListener('message', (e) => {
          resolve(e.data);
        });
      });
      await navigator.serviceWorker.register('/sw.js');
    });
    const expected = ['/worker.js?started=early', '/worker.js?started=late', '/sw.js'].map((path) => `${server.url}${path}`);
    await p.waitForFunction((urls) => urls.every((u) => window.consentkitAudit?.findings.some((f) => f.kind == 'worker' && f.name == u)), expected, { timeout: 20000 });
    const workers = (await findings(p)).filter((f) => f.kind == 'worker');
    assert.deepEqual(workers.map((f) => f.name).sort(), [...expected].sort());
    assert.ok(workers.every((f) => f.advice?.includes('cannot block what a worker loads or sends')));
    // The page's workers still start as before.
    assert.equal(await p.evaluate(() => window.lateRan), 'worker ran');
  });
});

declare global {
  interface Window {
    early?: Worker;
    lateRan?: Promise<unknown>;
  }
}
