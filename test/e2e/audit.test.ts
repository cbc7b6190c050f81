// Audit mode on a real page: an unmarked third-party script (served from a
// second origin), an unmarked inline script writing a `_ga` cookie and a
// localStorage key, and the request; audit off never fetches its file.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import type { AuditFinding } from '../../src/parts/audit/types.js';
import { launchBrowser, startServer, type TestServer } from './helpers.js';

let browser: Browser;
let server: TestServer;
/** The same server under another origin (`localhost` instead of `127.0.0.1`): a "third party". */
let thirdParty: string;

test.beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  thirdParty = server.url.replace('127.0.0.1', 'localhost');
  server.route('/googletagmanager.com/gtag/js', ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end('window.trackerRan = true;');
  });
});
test.afterAll(async () => {
  await Promise.all([browser.close(), server.close()]);
});

const page = (config: object) => `<!doctype html><html lang="en"><head><title>audit</title>
<script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script>
<script src="/dist/consentkit.js"></script>
<script src="${thirdParty}/googletagmanager.com/gtag/js?id=G-TEST"></script>
<script>document.cookie = '_ga=GA1.1.123.456; path=/'; localStorage.setItem('_hjSessionUser_1', 'x');</script>
</head><body><p>content</p></body></html>`;

const auditRequested = () => server.requests.some((r) => r.path.startsWith('/dist/consentkit-audit.js'));

async function open(path: string, fn: (p: Page, logs: string[]) => Promise<void>) {
  const ctx = await browser.newContext();
  try {
    const p = await ctx.newPage();
    const logs: string[] = [];
    p.on('console', (m) => logs.push(m.text()));
    await p.goto(`${server.url}${path}`);
    await fn(p, logs);
  } finally {
    await ctx.close();
  }
}

test('?consentkit-audit catches the unmarked script, inline script, cookie, storage key and request', async () => {
  server.page('/audit.html', page({ revision: 1 }));
  await open('/audit.html?consentkit-audit', async (p, logs) => {
    assert.equal(await p.evaluate(() => (window as unknown as { trackerRan?: boolean }).trackerRan), true);
    await p.waitForFunction(() => (window.consentkitAudit?.findings.length ?? 0) >= 5, undefined, { timeout: 20000 });
    const findings = await p.evaluate(() => window.consentkitAudit?.findings.map(({ kind, name, category }) => ({ kind, name, category })));
    const expected: Pick<AuditFinding, 'kind' | 'name' | 'category'>[] = [
      { kind: 'script', name: `${thirdParty}/googletagmanager.com/gtag/js?id=G-TEST`, category: 'analytics' },
      { kind: 'script', name: "inline: document.cookie = '_ga=GA1.1.123.456; path=/'; localStorage.", category: 'analytics' },
      { kind: 'cookie', name: '_ga', category: 'analytics' },
      { kind: 'storage', name: '_hjSessionUser_1', category: 'analytics' },
      { kind: 'request', name: `${thirdParty}/googletagmanager.com/gtag/js`, category: 'analytics' },
    ];
    for (const f of expected) assert.ok(findings?.some((x) => JSON.stringify(x) == JSON.stringify(f)), `${JSON.stringify(f)} in ${JSON.stringify(findings)}`);
    // consentkit's own files and cookie are never findings.
    assert.ok(!findings?.some((f) => f.name.includes('consentkit')), JSON.stringify(findings));
    assert.ok(auditRequested());
    await p.waitForFunction(() => document.querySelector('consentkit-audit')?.shadowRoot?.textContent.includes('_hjSessionUser_1'));
    assert.ok(logs.some((l) => l.startsWith('[consentkit audit]')), logs.join('\n'));
  });
});

test('config.audit: true switches it on too, and the event carries the findings', async () => {
  server.page('/audit-config.html', page({ revision: 1, audit: true }));
  await open('/audit-config.html', async (p) => {
    // The event may have fired before this listener: it resolves on the next one or at once.
    const names = await p.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          addEventListener('consentkit:audit', (e) => {
            resolve(e.detail.findings.map((x) => x.name));
          });
          if (window.consentkitAudit?.findings.some((x) => x.kind == 'storage')) resolve(window.consentkitAudit.findings.map((x) => x.name));
        }),
    );
    assert.ok(names.includes('_ga'), names.join());
  });
});

test('after consent to analytics, new analytics cookies are no longer findings', async () => {
  server.page('/audit-granted.html', page({ revision: 1 }));
  await open('/audit-granted.html?consentkit-audit', async (p) => {
    await p.waitForFunction(() => window.consentkitAudit?.findings.some((f) => f.name == '_ga'));
    const found = await p.evaluate(() => {
      (window.consentkit as { acceptAll(): void }).acceptAll();
      document.cookie = '_gid=1; path=/';
      window.consentkitAudit?.scan();
      return window.consentkitAudit?.findings.map((f) => f.name);
    });
    assert.ok(!found?.includes('_gid'));
  });
});

test('with audit off, consentkit-audit.js is never requested', async () => {
  server.page('/no-audit.html', page({ revision: 1 }));
  const before = server.requests.length;
  await open('/no-audit.html?other=1', async (p) => {
    assert.equal(await p.evaluate(() => (window as unknown as { trackerRan?: boolean }).trackerRan), true);
    assert.equal(await p.evaluate(() => window.consentkitAudit), undefined);
    assert.equal(await p.evaluate(() => document.querySelector('consentkit-audit')), null);
  });
  assert.ok(server.requests.slice(before).some((r) => r.path.startsWith('/no-audit.html')));
  assert.ok(!server.requests.slice(before).some((r) => r.path.startsWith('/dist/consentkit-audit.js')));
});
