// The gate in real pages: marked scripts, embeds and late tags stay inert
// (no run, no request, no cookie) until consent, then run once, in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DIST_DIR, launchBrowser, startServer, type TestServer } from './helpers.js';

let browser: Browser;
let server: TestServer;

test.beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  // External scripts log their name; each sets a cookie like a tracker would.
  for (const name of ['a', 'b', 'c', 'ok', 'next']) {
    server.route(`/js/${name}.js`, ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(`window.log.push('${name}'); document.cookie = '_${name}_id=1; path=/';`);
    });
  }
  server.route('/js/slow.js', async ({ res }) => {
    await new Promise((r) => setTimeout(r, 300));
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`window.log.push('slow');`);
  });
  server.page('/grant.html', pageWith('<p>grant</p>'));
  server.route('/frame.html', ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>embedded</p>');
  });
});
test.afterAll(async () => {
  await Promise.all([browser.close(), server.close()]);
});

const CONFIG = {
  revision: 1,
  categories: [
    { id: 'necessary', required: true },
    { id: 'functional' },
    { id: 'analytics', cookies: [{ name: '_a_*' }, { name: 'plain' }] },
    { id: 'advertising' },
  ],
};
const pageWith = (body: string, config: object = CONFIG, nonce = '') => {
  const n = nonce ? ` nonce="${nonce}"` : '';
  return `<!doctype html><html lang="en"><head><title>t</title>
<script${n}>window.log = [];</script>
<script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script>
<script src="/dist/consentkit.js"${n}></script></head><body>${body}</body></html>`;
};

interface Api {
  acceptAll(): void;
  set(i: unknown, source?: string): void;
  withdraw(): void;
  isGranted(e: string): boolean;
  rescan(root?: ParentNode): void;
}
declare const consentkit: Api;
const logOf = (page: Page) => page.evaluate(() => (window as unknown as { log: string[] }).log);
const waitLog = (page: Page, n: number) =>
  page.waitForFunction((n) => (window as unknown as { log: string[] }).log.length >= n, n, { timeout: 20000 });

async function withContext(fn: (ctx: BrowserContext, page: Page) => Promise<void>) {
  const ctx = await browser.newContext();
  try {
    await fn(ctx, await ctx.newPage());
  } finally {
    await ctx.close();
  }
}
const requested = (path: string) => server.requests.filter((r) => r.path == path).length;

const MIXED = `
<script type="text/plain" data-category="analytics" src="/js/a.js"></script>
<script type="text/plain" data-category="analytics">log.push('inline1'); document.cookie = '_a_inline=1; path=/';</script>
<script type="text/plain" data-category="analytics" src="/js/slow.js"></script>
<script type="text/plain" data-category="analytics" src="/js/missing.js"></script>
<script type="text/plain" data-category="analytics">log.push('inline2')</script>
<script type="text/plain" data-category="advertising" src="/js/c.js"></script>
<iframe data-category="functional" data-src="/frame.html?mixed" title="Test video"></iframe>
<img data-category="functional" data-src="/frame.html?img" alt="">`;

test('nothing marked runs, loads or sets a cookie before consent; after it each runs once, in order', async () => {
  server.page('/mixed.html', pageWith(MIXED));
  await withContext(async (ctx, page) => {
    await page.goto(`${server.url}/mixed.html`);
    await page.waitForSelector('[data-consentkit="placeholder"]');
    assert.deepEqual(await logOf(page), []);
    assert.deepEqual(await ctx.cookies(), []);
    for (const p of ['/js/a.js', '/js/slow.js', '/js/missing.js', '/js/c.js', '/frame.html?mixed', '/frame.html?img'])
      assert.equal(requested(p), 0, p);

    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    // missing.js answers 404: the scripts after it still run.
    await waitLog(page, 4);
    assert.deepEqual(await logOf(page), ['a', 'inline1', 'slow', 'inline2']);
    assert.equal(requested('/js/missing.js'), 1);
    // Advertising and functional were not granted.
    assert.equal(requested('/js/c.js'), 0);
    assert.equal(requested('/frame.html?mixed'), 0);

    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await waitLog(page, 5);
    await page.waitForSelector('iframe[src="/frame.html?mixed"]');
    await page.waitForSelector('img[src="/frame.html?img"]', { state: 'attached' });
    assert.deepEqual(await logOf(page), ['a', 'inline1', 'slow', 'inline2', 'c']);
    assert.equal(requested('/js/a.js'), 1);
    const names = (await ctx.cookies()).map((c) => c.name).sort();
    assert.deepEqual(names, ['_a_id', '_a_inline', '_c_id', 'consentkit']);
  });
});

test('a returning visitor with stored consent gets the scripts on page load', async () => {
  server.page('/return.html', pageWith(MIXED));
  await withContext(async (ctx, page) => {
    await page.goto(`${server.url}/return.html`);
    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await waitLog(page, 4);
    const before = requested('/dist/consentkit-ui.js');
    await page.reload();
    await waitLog(page, 4);
    assert.deepEqual(await logOf(page), ['a', 'inline1', 'slow', 'inline2']);
    // No banner: the UI bundle is not even fetched.
    assert.equal(requested('/dist/consentkit-ui.js'), before);
    assert.equal(await page.locator('consent-banner').count(), 0);
    // Still blocked: not granted. The placeholder comes with the embeds part, so wait for it.
    await page.waitForSelector('[data-consentkit="placeholder"]');
    assert.equal(await page.locator('iframe').count(), 0);
    assert.ok((await ctx.cookies()).some((c) => c.name == 'consentkit'));
  });
});

test('negated markup runs when the category is refused, and only then', async () => {
  server.page(
    '/negated.html',
    pageWith(`<script type="text/plain" data-category="!analytics">log.push('fallback')</script>
<script type="text/plain" data-category="analytics">log.push('full')</script>`),
  );
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/negated.html`);
    assert.deepEqual(await logOf(page), []);
    await page.evaluate(() => {
      consentkit.set({ categories: {} });
    });
    await waitLog(page, 1);
    assert.deepEqual(await logOf(page), ['fallback']);
  });
});

test('a script inserted 1 s after load is blocked, then activated on consent', async () => {
  server.page(
    '/late.html',
    pageWith(`<script>
  setTimeout(function () {
    var s = document.createElement('script');
    s.type = 'text/plain';
    s.setAttribute('data-category', 'analytics');
    s.src = '/js/b.js';
    document.body.appendChild(s);
    window.inserted = true;
  }, 1000);
</script>`),
  );
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/late.html`);
    await page.waitForFunction(() => (window as unknown as { inserted?: boolean }).inserted, null, { timeout: 20000 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    assert.deepEqual(await logOf(page), []);
    assert.equal(requested('/js/b.js'), 0);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await waitLog(page, 1);
    assert.deepEqual(await logOf(page), ['b']);
    // Inserted once consent is there: activated at once.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.type = 'text/plain';
      s.setAttribute('data-category', 'analytics');
      s.text = "log.push('later')";
      document.body.append(s);
    });
    await waitLog(page, 2);
    assert.deepEqual(await logOf(page), ['b', 'later']);
  });
});

test('rescan() finds marked elements in a shadow root', async () => {
  server.page('/shadow.html', pageWith(''));
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/shadow.html`);
    await page.evaluate(() => {
      consentkit.acceptAll();
      const root = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' });
      root.innerHTML = `<script type="text/plain" data-category="analytics">log.push('shadow')</script>`;
      consentkit.rescan(root);
    });
    await waitLog(page, 1);
    assert.deepEqual(await logOf(page), ['shadow']);
  });
});

test('the iframe placeholder works by keyboard: load once, then always allow', async () => {
  const two = `<iframe data-category="functional" data-src="/frame.html?one" title="Map" width="400" height="200"></iframe>
<iframe data-category="functional" data-src="/frame.html?two"></iframe>`;
  server.page('/embed.html', pageWith(two));
  await withContext(async (ctx, page) => {
    await page.goto(`${server.url}/embed.html`);
    const first = page.getByRole('group', { name: /Map is blocked/ });
    await first.waitFor();
    assert.match((await first.textContent()) ?? '', /“Functional”/);
    // Tab to "Load this once" (past the banner, which comes first in the page) and press Enter.
    let focused: string | null | undefined = '';
    for (let i = 0; i < 12 && focused != 'Load this once'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent);
    }
    assert.equal(focused, 'Load this once', 'the placeholder button is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('iframe[src="/frame.html?one"]');
    assert.equal(await page.evaluate(() => document.activeElement?.localName), 'iframe');
    assert.equal(await page.evaluate(() => consentkit.isGranted('functional')), false);
    assert.equal(requested('/frame.html?two'), 0);
    assert.equal((await ctx.cookies()).length, 0, 'load once stores nothing');

    const second = page.getByRole('group', { name: /127\.0\.0\.1 is blocked/ });
    await second.getByRole('button', { name: 'Always allow “Functional”' }).focus();
    await page.keyboard.press('Space');
    await page.waitForSelector('iframe[src="/frame.html?two"]');
    assert.equal(await page.evaluate(() => consentkit.isGranted('functional')), true);
    assert.equal(requested('/frame.html?one'), 1);
  });
});

const EMBEDS = '/dist/consentkit-embeds.js';

test('the gate carries no placeholder code: its texts live in consentkit-embeds.js', () => {
  const gate = readFileSync(join(DIST_DIR, 'consentkit.js'), 'utf8');
  const embeds = readFileSync(join(DIST_DIR, 'consentkit-embeds.js'), 'utf8');
  for (const text of ['placeholder.blocked', 'placeholder.once', 'Load this once', 'This embedded content']) {
    assert.ok(!gate.includes(text), `the gate has no "${text}"`);
    assert.ok(embeds.includes(text), `consentkit-embeds.js has "${text}"`);
  }
});

test('consentkit-embeds.js is never fetched without a blocked iframe: none marked, or one already allowed', async () => {
  const scriptsOnly = `<script type="text/plain" data-category="analytics">log.push('inline')</script>
<img data-category="functional" data-src="/frame.html?noembed-img" alt="">`;
  server.page('/no-embeds.html', pageWith(scriptsOnly));
  server.page('/allowed-embed.html', pageWith(`<iframe data-category="functional" data-src="/frame.html?allowed" title="Map"></iframe>`));
  await withContext(async (_ctx, page) => {
    const before = requested(EMBEDS);
    await page.goto(`${server.url}/no-embeds.html`);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await waitLog(page, 1);
    await page.waitForLoadState('networkidle');
    assert.equal(requested(EMBEDS), before, 'no marked iframe: the embeds part is not fetched');

    // Functional is granted now (stored): the iframe activates at once, no placeholder needed.
    await page.goto(`${server.url}/allowed-embed.html`);
    await page.waitForSelector('iframe[src="/frame.html?allowed"]');
    await page.waitForLoadState('networkidle');
    assert.equal(requested(EMBEDS), before, 'an allowed iframe: the embeds part is not fetched');
    assert.equal(await page.locator('[data-consentkit="placeholder"]').count(), 0);
  });
});

test('a blocked iframe fetches consentkit-embeds.js once for all placeholders, and the placeholder works', async () => {
  const two = `<iframe data-category="functional" data-src="/frame.html?part-one" title="Video"></iframe>
<iframe data-category="functional" data-src="/frame.html?part-two" title="Map"></iframe>`;
  server.page('/part.html', pageWith(two));
  await withContext(async (_ctx, page) => {
    const before = requested(EMBEDS);
    await page.goto(`${server.url}/part.html`);
    await page.getByRole('group', { name: /Map is blocked/ }).waitFor();
    assert.equal(await page.locator('[data-consentkit="placeholder"]').count(), 2);
    assert.equal(requested(EMBEDS), before + 1);
    await page.getByRole('group', { name: /Video is blocked/ }).getByRole('button', { name: 'Load this once' }).click();
    await page.waitForSelector('iframe[src="/frame.html?part-one"]');
    assert.equal(requested('/frame.html?part-two'), 0);
  });
});

test('fail closed: while consentkit-embeds.js loads and when it fails the iframe stays blocked; consent still activates it', async () => {
  const embed = (n: string) => `<iframe data-category="functional" data-src="/frame.html?${n}" title="Map"></iframe>`;
  server.page('/embeds-fail.html', pageWith(embed('fail')));
  server.page('/embeds-slow.html', pageWith(embed('slow')));
  const blockedIframe = (page: Page) => page.evaluate(() => document.querySelector('iframe[data-src]:not([src])') != null);

  // The part never arrives.
  await withContext(async (_ctx, page) => {
    page.on('console', () => undefined);
    await page.route(`**${EMBEDS}`, (route) => route.abort());
    await page.goto(`${server.url}/embeds-fail.html`);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.ok(await blockedIframe(page), 'the iframe is still there, without its source');
    assert.equal(await page.locator('[data-consentkit="placeholder"]').count(), 0);
    assert.equal(requested('/frame.html?fail'), 0);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await page.waitForSelector('iframe[src="/frame.html?fail"]');
    assert.equal(await page.locator('iframe').count(), 1);
  });

  // The part is slow, and the visitor grants the category before it arrives.
  await withContext(async (_ctx, page) => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let asked!: () => void;
    const partAsked = new Promise<void>((r) => (asked = r));
    await page.route(`**${EMBEDS}`, async (route) => {
      asked();
      await released;
      await route.continue();
    });
    // The load event waits for the part: only wait for the parse.
    await page.goto(`${server.url}/embeds-slow.html`, { waitUntil: 'domcontentloaded' });
    await partAsked;
    assert.ok(await blockedIframe(page), 'blocked while the part loads');
    assert.equal(requested('/frame.html?slow'), 0);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await page.waitForSelector('iframe[src="/frame.html?slow"]');
    const loaded = page.waitForResponse((r) => r.url().endsWith(EMBEDS));
    release();
    await loaded;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal(await page.locator('[data-consentkit="placeholder"]').count(), 0, 'no placeholder after the iframe ran');
    assert.equal(await page.locator('iframe').count(), 1);
    assert.equal(requested('/frame.html?slow'), 1, 'activated exactly once');
  });
});

test('the nonce is carried under a nonce CSP with no violation', async () => {
  const body = `<script type="text/plain" data-category="analytics" src="/js/ok.js" nonce="abc"></script>
<script type="text/plain" data-category="analytics" nonce="abc">log.push('inline')</script>`;
  server.page('/csp.html', pageWith(body, CONFIG, 'abc'), { 'content-security-policy': "script-src 'nonce-abc'" });
  await withContext(async (_ctx, page) => {
    await page.addInitScript(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { violations: string[] }).violations.push(e.blockedURI || e.violatedDirective);
      });
    });
    await page.goto(`${server.url}/csp.html`);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await waitLog(page, 2);
    assert.deepEqual(await logOf(page), ['ok', 'inline']);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), []);
  });
});

test('withdrawal deletes the listed cookies and reloads once; no script runs twice', async () => {
  server.page(
    '/withdraw.html',
    pageWith(`<script type="text/plain" data-category="analytics" src="/js/a.js"></script>
<script>window.loads = (Number(sessionStorage.getItem('loads')) || 0) + 1; sessionStorage.setItem('loads', window.loads);</script>`),
  );
  await withContext(async (ctx, page) => {
    await page.goto(`${server.url}/withdraw.html`);
    await page.evaluate(() => {
      document.cookie = 'plain=1; path=/';
      document.cookie = 'other=1; path=/';
      consentkit.acceptAll();
    });
    await waitLog(page, 1);
    const names = () => ctx.cookies().then((c) => c.map((x) => x.name).sort());
    assert.deepEqual(await names(), ['_a_id', 'consentkit', 'other', 'plain']);
    const reloaded = page.waitForEvent('load');
    await page.evaluate(() => {
      consentkit.withdraw();
    });
    await reloaded;
    assert.deepEqual(await names(), ['consentkit', 'other']);
    assert.equal(await page.evaluate(() => (window as unknown as { loads: number }).loads), 2);
    assert.deepEqual(await logOf(page), []);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal(await page.evaluate(() => (window as unknown as { loads: number }).loads), 2, 'reloaded only once');
    await page.evaluate(() => {
      sessionStorage.clear();
    });
  });
});

test('reloadOnWithdraw: false deletes cookies without reloading', async () => {
  server.page(
    '/noreload.html',
    pageWith(`<script type="text/plain" data-category="analytics" src="/js/a.js"></script>`, { ...CONFIG, reloadOnWithdraw: false }),
  );
  await withContext(async (ctx, page) => {
    await page.goto(`${server.url}/noreload.html`);
    await page.evaluate(() => {
      consentkit.acceptAll();
      (window as unknown as { marker: number }).marker = 1;
    });
    await waitLog(page, 1);
    await page.evaluate(() => {
      consentkit.withdraw();
    });
    await page.waitForFunction(() => !document.cookie.includes('_a_id'), null, { timeout: 20000 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1);
    assert.deepEqual(await logOf(page), ['a']);
  });
});

test('an invalid config keeps everything blocked', async () => {
  server.page('/invalid.html', pageWith(`<script type="text/plain" data-category="analytics">log.push('x')</script>`, { revision: {} }));
  await withContext(async (_ctx, page) => {
    page.on('console', () => undefined);
    await page.goto(`${server.url}/invalid.html`);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.deepEqual(await logOf(page), []);
    assert.equal(await page.locator('script[type="text/plain"]').count(), 1);
  });
});

test('a returning visitor\'s granted scripts run as the parser reaches them, downloaded in parallel, in page order', async () => {
  // Stamps when each request arrived and when the slow one was answered.
  const stamps: Record<string, number> = {};
  server.route('/js/parallel-slow.js', async ({ res }) => {
    stamps.slowRequested = Date.now();
    await new Promise((r) => setTimeout(r, 600));
    stamps.slowAnswered = Date.now();
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`log.push('slow');`);
  });
  server.route('/js/parallel-fast.js', ({ res }) => {
    stamps.fastRequested = Date.now();
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`log.push('fast');`);
  });
  // An ordinary (unmarked) script that holds the parser for a while, like a slow site script.
  server.route('/js/parallel-hold.js', async ({ res }) => {
    await new Promise((r) => setTimeout(r, 1500));
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`log.push('hold');`);
  });
  server.page('/parallel-first.html', pageWith('<p>first</p>'));
  server.page(
    '/parallel.html',
    pageWith(`
<script type="text/plain" data-category="analytics" src="/js/parallel-slow.js"></script>
<script type="text/plain" data-category="analytics">log.push('inline after slow')</script>
<script type="text/plain" data-category="analytics" src="/js/parallel-fast.js"></script>
<script type="text/plain" data-category="analytics">log.push('inline while ' + document.readyState)</script>
<script src="/js/parallel-hold.js"></script>
<p>the end of the page</p>`),
  );
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/parallel-first.html`);
    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await page.goto(`${server.url}/parallel.html`);
    await waitLog(page, 5);
    // In page order, and before the parser got past the slow site script (not at DOMContentLoaded).
    assert.deepEqual(await logOf(page), ['slow', 'inline after slow', 'fast', 'inline while loading', 'hold']);
    // Even with an inline script between them, which must wait for the first to run.
    assert.ok(stamps.fastRequested < stamps.slowAnswered, 'the second script downloads while the first is still on its way');
  });
});

test('a typo in data-category keeps the script blocked and warns once, naming the element', async () => {
  server.page(
    '/typo.html',
    pageWith(`
<script type="text/plain" data-category="analytycs" src="/js/a.js?typo"></script>
<script type="text/plain" data-category="analytycs">log.push('typo inline')</script>
<script type="text/plain" data-category="analytics" src="/js/ok.js"></script>`),
  );
  await withContext(async (_ctx, page) => {
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() == 'warning') warnings.push(m.text());
    });
    await page.goto(`${server.url}/typo.html`);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await waitLog(page, 1);
    // Time for anything wrongly activated to run.
    await page.waitForTimeout(500);
    assert.deepEqual(await logOf(page), ['ok']);
    assert.equal(requested('/js/a.js?typo'), 0);
    assert.equal(await page.locator('script[type="text/plain"][data-category="analytycs"]').count(), 2);
    const typo = warnings.filter((w) => w.includes('analytycs'));
    assert.equal(typo.length, 1, `one warning for the unknown id: ${JSON.stringify(warnings)}`);
    assert.match(typo[0], /<script \/js\/a\.js\?typo>/);
    assert.ok(!warnings.some((w) => w.includes('"analytics"')), 'no warning for a known id');
  });
});

test('a granted external script after a waiting inline one goes in at once: the browser keeps the order, nothing waits a turn', async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let slowAsked!: () => void;
  const asked = new Promise<void>((r) => (slowAsked = r));
  server.route('/js/held.js', async ({ res }) => {
    slowAsked();
    await released;
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`log.push('held');`);
  });
  server.page(
    '/at-once.html',
    pageWith(`
<script type="text/plain" data-category="analytics" src="/js/held.js"></script>
<script type="text/plain" data-category="analytics">log.push('inline after held')</script>
<script type="text/plain" data-category="analytics" src="/js/next.js"></script>
<script type="text/plain" data-category="analytics">log.push('inline after next')</script>
<p>the end of the page</p>`),
  );
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/at-once.html`, { waitUntil: 'domcontentloaded' });
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await asked;
    // While the first script is still on its way, the second is already the live script
    // element the browser runs after it (not a copy that waits for the inline one between).
    await page.waitForSelector('script[src="/js/next.js"][data-consentkit="activated"]', { state: 'attached' });
    await page.waitForFunction(() => performance.getEntriesByName(new URL('/js/next.js', location.href).href).length == 1);
    assert.deepEqual(await logOf(page), []);
    assert.equal(await page.locator('script[type="text/plain"]').count(), 2, 'the inline scripts still wait');
    release();
    await waitLog(page, 4);
    assert.deepEqual(await logOf(page), ['held', 'inline after held', 'next', 'inline after next']);
    assert.equal(await page.locator('link[rel="preload"]').count(), 0, 'no preload beside the script');
  });
});

/** Marked scripts: `n` pairs of an external script and an inline one, each logging its number. */
function manyMarked(n: number): string {
  for (let i = 0; i < n; i++)
    server.route(`/js/many-${i}.js`, ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(`log.push(${2 * i});`);
    });
  return Array.from(
    { length: n },
    (_, i) => `<script type="text/plain" data-category="analytics" src="/js/many-${i}.js"></script>
<script type="text/plain" data-category="analytics">log.push(${2 * i + 1})</script>`,
  ).join('\n');
}

test('a shadow root given to rescan while the page is parsed: a marked script added to it later runs once granted', async () => {
  server.page(
    '/rescan-while-parsed.html',
    pageWith(`<div id="host"></div>
<script>consentkit.rescan(document.getElementById('host').attachShadow({ mode: 'open' }));</script>
<p>more of the page</p>
<script>
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.dataset.category = 'analytics';
  s.textContent = "log.push('in the shadow root')";
  document.getElementById('host').shadowRoot.append(s);
</script>
<p>the rest</p>
<script>log.push('parsed')</script>`),
  );
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/grant.html`);
    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await page.goto(`${server.url}/rescan-while-parsed.html`);
    await waitLog(page, 2);
    assert.deepEqual((await logOf(page)).sort(), ['in the shadow root', 'parsed']);
  });
});

test('a shadow root given to rescan after the parse, before the load: a marked script among many nodes added to it runs once granted', async () => {
  // 200 insertions at once on a small page: the observer searches its trees for them, the
  // shadow root among them, rather than reading each record.
  server.page(
    '/rescan-before-load.html',
    pageWith(`<div id="host"></div>
<script>
  document.addEventListener('DOMContentLoaded', () => {
    const root = document.getElementById('host').attachShadow({ mode: 'open' });
    consentkit.rescan(root);
    for (let i = 0; i < 200; i++) root.append(document.createElement('span'));
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.dataset.category = 'analytics';
    s.textContent = "log.push('in the shadow root')";
    root.append(s);
    log.push(document.readyState);
  });
</script>`),
  );
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/grant.html`);
    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await page.goto(`${server.url}/rescan-before-load.html`);
    await waitLog(page, 2);
    assert.deepEqual(await logOf(page), ['interactive', 'in the shadow root']);
  });
});

test('a deferred gate activates the granted scripts in a task after its own evaluation, not in it', async () => {
  server.page(
    '/deferred.html',
    `<!doctype html><html lang="en"><head><title>t</title>
<script>window.log = [];</script>
<script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script>
<script defer src="/dist/consentkit.js" onload="window.inGateTask = log.slice()"></script></head>
<body><script type="text/plain" data-category="analytics">log.push('inline')</script><p>end</p></body></html>`,
  );
  await withContext(async (_ctx, page) => {
    await page.goto(`${server.url}/grant.html`);
    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await page.goto(`${server.url}/deferred.html`);
    await waitLog(page, 1);
    // The load event fires in the task that ran the gate, after its microtasks.
    assert.deepEqual(await page.evaluate(() => (window as unknown as { inGateTask: string[] }).inGateTask), []);
    assert.deepEqual(await logOf(page), ['inline']);
  });
});

test('consent to many marked scripts on a slow CPU activates them over several tasks, each once, in page order', async () => {
  server.page('/many.html', pageWith(manyMarked(60)));
  await withContext(async (ctx, page) => {
    await page.goto(`${server.url}/many.html`);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await waitLog(page, 120);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.deepEqual(await logOf(page), Array.from({ length: 120 }, (_, i) => i));
  });
});
