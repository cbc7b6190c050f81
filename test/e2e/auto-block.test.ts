// Auto-blocking in real pages: unmarked stand-ins of real services, served
// under their real host names (mapped to 127.0.0.1), are held by their URLs
// until their service is granted, then run once, in page order.
//
// Most of these hosts are on Chromium's HSTS preload list, so the browser only
// asks for them over https: the stand-ins are served by an https server of this
// file (a certificate made for the run, accepted with --ignore-certificate-errors),
// the pages by the usual test server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startServer, until, withPage, type TestServer } from './helpers.js';
import { listen } from '../../scripts/static-server.mjs';

/** Every host a stand-in is served under. */
const HOSTS = {
  gtm: 'www.googletagmanager.com',
  analytics: 'www.google-analytics.com',
  ads: 'googleads.g.doubleclick.net',
  metaScript: 'connect.facebook.net',
  metaPixel: 'www.facebook.com',
  hotjar: 'static.hotjar.com',
  youtube: 'www.youtube.com',
  maps: 'www.google.com',
  stripe: 'js.stripe.com',
};
const BLOCKED_HOSTS = Object.values(HOSTS).filter((h) => h != HOSTS.stripe);

const CONFIG = {
  revision: 1,
  categories: [
    { id: 'necessary', required: true, services: [{ id: 'stripe', urls: ['js.stripe.com'] }] },
    {
      id: 'functional',
      services: [
        { id: 'youtube', urls: ['www.youtube.com/embed/'] },
        { id: 'maps', urls: ['www.google.com/maps/embed'] },
      ],
    },
    {
      id: 'analytics',
      services: [
        { id: 'gtm', urls: ['www.googletagmanager.com/gtm.js'], cookies: [{ name: '_gtm' }] },
        { id: 'ga4', urls: ['www.googletagmanager.com/gtag/js', 'google-analytics.com'], cookies: [{ name: '_ga4' }] },
        { id: 'hotjar', urls: ['static.hotjar.com', 'hotjar.com'], cookies: [{ name: '_hotjar' }] },
      ],
    },
    {
      id: 'advertising',
      services: [
        { id: 'meta', urls: ['connect.facebook.net', 'www.facebook.com/tr'] },
        { id: 'gads', urls: ['googleads.g.doubleclick.net'] },
      ],
    },
  ],
};

let browser: Browser;
let server: TestServer;
let standIns: Server;
/** `https://<host>:<port>` of the stand-ins' server under a real host name. */
let origin: (host: string) => string;
/** Requests the stand-ins' server has had, in order: host (without port) and path. */
const requests: { host: string; path: string }[] = [];

/** A stand-in script: records that it ran, sets a cookie like the real one, then does `more`. */
const standIn = (name: string, more = '') =>
  `(window.ran = window.ran || []).push(${JSON.stringify(name)}); document.cookie = '_${name}=1; path=/'; ${more}`;

/** A key and self-signed certificate for this run. */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-auto-block-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=consentkit test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test.beforeAll(async () => {
  const hostRules = Object.values(HOSTS).map((h) => `MAP ${h} 127.0.0.1`).join(', ');
  [browser, server] = await Promise.all([launchBrowser({ args: [`--host-resolver-rules=${hostRules}`, '--ignore-certificate-errors'] }), startServer()]);
  /** Host and path → content type and body. */
  const routes = new Map<string, [string, () => string | Buffer]>();
  standIns = createServer(certificate(), (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0];
    const path = req.url ?? '/';
    requests.push({ host, path });
    const route = routes.get(`${host}${path.split('?')[0]}`);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    res.end(route[1]());
  });
  const port = await listen(standIns, 0);
  origin = (host) => `https://${host}:${port}`;
  /** Serves `body` at `path` of `host`. */
  const serve = (host: string, path: string, type: string, body: () => string | Buffer) => {
    routes.set(`${host}${path}`, [type, body]);
  };
  const js = 'text/javascript';
  const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
  // Google Tag Manager: injects GA4 (a script) and an ads pixel (an image, through innerHTML).
  serve(HOSTS.gtm, '/gtm.js', js, () =>
    standIn(
      'gtm',
      `var j = document.createElement('script'); j.async = true; j.src = window.siteUrl(${JSON.stringify(`${origin(HOSTS.gtm)}/gtag/js?id=G-TEST`)});
       var f = document.getElementsByTagName('script')[0]; f.parentNode.insertBefore(j, f);
       var d = document.createElement('div'); d.id = 'gtm-pixel';
       d.innerHTML = window.siteHtml('<img alt="" src="${origin(HOSTS.ads)}/pagead/viewthroughconversion/1/">');
       document.body.appendChild(d);`,
    ),
  );
  // GA4: a beacon and a fetch to its collect endpoint.
  serve(HOSTS.gtm, '/gtag/js', js, () =>
    standIn(
      'ga4',
      `navigator.sendBeacon('${origin(HOSTS.analytics)}/g/collect?en=beacon', '');
       fetch('${origin(HOSTS.analytics)}/g/collect?en=fetch', { method: 'POST', mode: 'no-cors' });`,
    ),
  );
  serve(HOSTS.analytics, '/g/collect', 'text/plain', () => '');
  serve(HOSTS.ads, '/pagead/viewthroughconversion/1/', 'image/gif', () => gif);
  // Meta Pixel: fbevents.js sends its pixel with new Image().
  serve(HOSTS.metaScript, '/en_US/fbevents.js', js, () => standIn('meta', `new Image().src = '${origin(HOSTS.metaPixel)}/tr?id=1&ev=PageView';`));
  serve(HOSTS.metaPixel, '/tr', 'image/gif', () => gif);
  serve(HOSTS.hotjar, '/c/hotjar-1.js', js, () => standIn('hotjar'));
  // Embeds record themselves with a cookie of their own host (and in the request log).
  serve(HOSTS.youtube, '/embed/abc', 'text/html', () => `<script>document.cookie = 'VISITOR_INFO1_LIVE=1; path=/'</script>video`);
  serve(HOSTS.maps, '/maps/embed', 'text/html', () => `<script>document.cookie = 'NID=1; path=/'</script>map`);
  serve(HOSTS.stripe, '/v3/', js, () => standIn('stripe'));
});
test.afterAll(async () => {
  standIns.closeAllConnections();
  await Promise.all([browser.close(), server.close(), new Promise((resolve) => standIns.close(resolve))]);
});

/**
 * A page with the services' own snippets, none of them marked: GTM, the Meta
 * Pixel, Hotjar, Stripe in the head; a YouTube iframe a theme script creates and
 * a Google Maps iframe it inserts with insertAdjacentHTML. `nonce` goes on
 * every script tag; `policy` has snippets write URLs through the page's own
 * Trusted Types policy (named `site`).
 */
function page(options: { config?: object; nonce?: string; policy?: boolean } = {}): string {
  const n = options.nonce ? ` nonce="${options.nonce}"` : '';
  return `<!doctype html><html lang="en"><head><title>shop</title>
<script${n}>
  window.ran = [];
  var policy = ${options.policy ? "trustedTypes.createPolicy('site', { createScriptURL: function (u) { return u; }, createHTML: function (h) { return h; } })" : 'null'};
  window.siteUrl = function (u) { return policy ? policy.createScriptURL(u) : u; };
  window.siteHtml = function (h) { return policy ? policy.createHTML(h) : h; };
</script>
<script type="application/json" id="consentkit-config"${n}>${JSON.stringify(options.config ?? CONFIG)}</script>
<script src="/dist/consentkit.js"${n}></script>
<script${n}>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=siteUrl('${origin(HOSTS.gtm)}/gtm.js?id='+i+dl);f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-TEST');</script>
<script${n}>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=siteUrl(v);s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window,document,'script','${origin(HOSTS.metaScript)}/en_US/fbevents.js');fbq('init','1');fbq('track','PageView');</script>
<script${n}>(function(h,o,t,j,a,r){h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};h._hjSettings={hjid:1,hjsv:6};
a=o.getElementsByTagName('head')[0];r=o.createElement('script');r.async=1;r.src=siteUrl(t+h._hjSettings.hjid+j+h._hjSettings.hjsv);a.appendChild(r);
})(window,document,'${origin(HOSTS.hotjar)}/c/hotjar-','.js?sv=');</script>
<script src="${origin(HOSTS.stripe)}/v3/"${n}></script>
</head><body><main>
<div id="video"></div>
<script${n}>var video = document.createElement('iframe'); video.title = 'Product video'; video.width = 320; video.height = 180;
video.src = '${origin(HOSTS.youtube)}/embed/abc'; document.getElementById('video').append(video);</script>
<div id="map"></div>
<script${n}>document.getElementById('map').insertAdjacentHTML('beforeend', siteHtml('<iframe src="${origin(HOSTS.maps)}/maps/embed?pb=1" title="Map"></iframe>'));</script>
</main></body></html>`;
}

interface Api {
  set(input: unknown): void;
  acceptAll(): void;
  withdraw(): void;
}
declare const consentkit: Api;

const ranIn = (p: Page) => p.evaluate(() => (window as unknown as { ran: string[] }).ran);
/** Requests to `host` the stand-ins have had since `from` (an index into their log). */
const requestsTo = (host: string, from = 0) => requests.slice(from).filter((r) => r.host == host);
const blockedRequests = (from = 0) => requests.slice(from).filter((r) => BLOCKED_HOSTS.includes(r.host)).map((r) => `${r.host}${r.path}`);
const cookieNames = async (ctx: BrowserContext) => (await ctx.cookies()).map((c) => c.name).sort();
/** Time for anything wrongly let through to load and run, on a loaded machine. */
const settle = (p: Page) => p.waitForTimeout(700);

/**
 * Calls GA4's collect endpoint from the page with fetch, sendBeacon,
 * XMLHttpRequest and new Image() (each with `en=<tag>-<api>`), and says how
 * each call ended (for XMLHttpRequest, its events and final state).
 */
const callCollect = (p: Page, tag: string) =>
  p.evaluate(
    async ([collect, tag]) => {
      const fetched = await fetch(`${collect}?en=${tag}-fetch`, { mode: 'no-cors' }).then(
        () => 'sent',
        (e: unknown) => (e as Error).name,
      );
      const beacon = navigator.sendBeacon(`${collect}?en=${tag}-beacon`, '');
      const xhr = await new Promise((resolve) => {
        const r = new XMLHttpRequest();
        const events: string[] = [];
        r.open('GET', `${collect}?en=${tag}-xhr`);
        for (const type of ['error', 'load']) r.addEventListener(type, () => events.push(type));
        // Libraries such as axios settle a request on loadend.
        r.onloadend = () => {
          resolve(`${events.join()}, loadend, readyState ${r.readyState}`);
        };
        setTimeout(() => {
          resolve(`${events.join()}, no loadend`);
        }, 3000);
        r.send();
      });
      const image = new Image();
      image.src = `${collect}?en=${tag}-image`;
      return { fetched, beacon, xhr };
    },
    [`${origin(HOSTS.analytics)}/g/collect`, tag],
  );

/**
 * Loads `path` and checks that nothing blocked was asked for or ran (only Stripe);
 * returns where the stand-ins' log stood before the load.
 */
async function loadBlocked(p: Page, path: string): Promise<number> {
  const from = requests.length;
  await p.goto(`${server.url}${path}`);
  await settle(p);
  assert.deepEqual(await ranIn(p), ['stripe']);
  assert.deepEqual(blockedRequests(from), []);
  return from;
}

test('before any choice: no request to a blocked host, no cookie, only Stripe runs; request APIs are refused', async () => {
  server.page('/before.html', page());
  await withPage(browser, async (p, ctx) => {
    const from = await loadBlocked(p, '/before.html');
    // The YouTube iframe gets its placeholder (it is held like a marked one).
    await p.getByRole('group', { name: /Product video is blocked/ }).waitFor();
    assert.deepEqual(await cookieNames(ctx), ['_stripe']);
    // Held in the blocker's marked form; the iframes stand behind placeholders.
    const held = await p.evaluate(() => [...document.querySelectorAll('script[type="text/plain"][data-service]')].map((e) => e.getAttribute('data-service')));
    assert.deepEqual(held.sort(), ['gtm', 'hotjar', 'meta']);
    assert.equal(await p.locator('[data-consentkit="placeholder"]').count(), 2);

    // Requests without an element: refused, and never sent.
    const outcomes = await callCollect(p, 'early');
    assert.deepEqual(outcomes, { fetched: 'TypeError', beacon: false, xhr: 'error, loadend, readyState 4' });
    await settle(p);
    assert.deepEqual(blockedRequests(from), []);
  });
});

test('granting analytics in the preferences runs exactly its services, in page order, once; a reload runs them at once', async () => {
  server.page('/banner.html', page());
  await withPage(browser, async (p, ctx) => {
    await p.goto(`${server.url}/banner.html`);
    await settle(p);
    const from = requests.length;
    await p.locator('consentkit-banner').getByRole('button', { name: 'Preferences' }).click();
    const dialog = p.locator('consentkit-preferences');
    await dialog.getByRole('switch', { name: 'Analytics' }).check();
    await dialog.getByRole('button', { name: 'Save choices' }).click();
    await until('GTM, Hotjar and GA4 to run', async () => (await ranIn(p)).length >= 4);
    await until('the GA4 beacon and fetch', () => requestsTo(HOSTS.analytics, from).length >= 2);
    await settle(p);
    const ran = await ranIn(p);
    assert.equal(ran[0], 'stripe');
    assert.deepEqual(ran.slice(1).sort(), ['ga4', 'gtm', 'hotjar'], `each once: ${ran.join()}`);
    // Page order: held scripts run in the order they appeared (GTM's snippet comes first). They
    // download in parallel, so the order their requests reach the server says nothing.
    assert.deepEqual(
      ran.filter((id) => id == 'gtm' || id == 'hotjar'),
      ['gtm', 'hotjar'],
    );
    const scripts = requests.slice(from).map((r) => r.path).filter((path) => /gtm\.js|hotjar-1\.js/.test(path));
    assert.deepEqual(scripts.sort(), ['/c/hotjar-1.js?sv=6', '/gtm.js?id=GTM-TEST'], 'each requested once');
    assert.deepEqual(requestsTo(HOSTS.analytics, from).map((r) => r.path).sort(), ['/g/collect?en=beacon', '/g/collect?en=fetch']);
    // Advertising and functional stay blocked, GTM's ads pixel included.
    for (const host of [HOSTS.ads, HOSTS.metaScript, HOSTS.metaPixel, HOSTS.youtube, HOSTS.maps]) assert.deepEqual(requestsTo(host, from), [], host);
    assert.equal(await p.locator('#gtm-pixel img[data-service="gads"]').count(), 1);
    assert.deepEqual(await cookieNames(ctx), ['_ga4', '_gtm', '_hotjar', '_stripe', 'consentkit']);
    // Granted: the same requests go out.
    const late = requests.length;
    assert.deepEqual(await callCollect(p, 'late'), { fetched: 'sent', beacon: true, xhr: 'load, loadend, readyState 4' });
    await until('the four requests', () => requestsTo(HOSTS.analytics, late).length >= 4);
    assert.deepEqual(requestsTo(HOSTS.analytics, late).map((r) => r.path).sort(), ['beacon', 'fetch', 'image', 'xhr'].map((api) => `/g/collect?en=late-${api}`));

    // Reload: the granted ones run straight away, the refused ones stay blocked.
    const reloadFrom = requests.length;
    await p.reload();
    await until('the granted services to run on load', async () => (await ranIn(p)).length >= 4);
    await settle(p);
    assert.deepEqual((await ranIn(p)).sort(), ['ga4', 'gtm', 'hotjar', 'stripe']);
    for (const host of [HOSTS.ads, HOSTS.metaScript, HOSTS.metaPixel, HOSTS.youtube, HOSTS.maps]) assert.deepEqual(requestsTo(host, reloadFrom), [], host);
  });
});

test('granting through the API: advertising, then everything; each service runs once, iframes load', async () => {
  server.page('/api.html', page());
  await withPage(browser, async (p) => {
    const from = requests.length;
    await p.goto(`${server.url}/api.html`);
    await settle(p);
    await p.evaluate(() => {
      consentkit.set({ categories: { advertising: true } });
    });
    await until('the Meta pixel', () => requestsTo(HOSTS.metaPixel, from).length >= 1);
    await settle(p);
    assert.deepEqual(await ranIn(p), ['stripe', 'meta']);
    assert.deepEqual(requestsTo(HOSTS.gtm, from), []);

    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('every service', async () => (await ranIn(p)).length >= 5 && requestsTo(HOSTS.ads, from).length >= 1);
    await p.waitForSelector(`iframe[src="${origin(HOSTS.youtube)}/embed/abc"]`);
    await p.waitForSelector(`iframe[src="${origin(HOSTS.maps)}/maps/embed?pb=1"]`);
    await settle(p);
    const ran = await ranIn(p);
    assert.deepEqual(ran.slice(0, 2), ['stripe', 'meta']);
    assert.deepEqual(ran.slice(2).sort(), ['ga4', 'gtm', 'hotjar']);
    for (const [host, count] of [
      [HOSTS.gtm, 2],
      [HOSTS.metaScript, 1],
      [HOSTS.metaPixel, 1],
      [HOSTS.hotjar, 1],
      [HOSTS.youtube, 1],
      [HOSTS.maps, 1],
      [HOSTS.ads, 1],
    ] as const)
      assert.equal(requestsTo(host, from).length, count, `${host}: once each`);
  });
});

test('withdrawal deletes the services\' cookies and reloads once; the services are blocked again', async () => {
  server.page('/withdraw.html', page());
  await withPage(browser, async (p, ctx) => {
    await p.goto(`${server.url}/withdraw.html`);
    await p.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await until('analytics to run', async () => (await ranIn(p)).length >= 4);
    // Stored: on a fresh load they run straight away (not through the blocker); then withdrawn.
    await p.reload();
    await until('analytics to run on load', async () => (await ranIn(p)).length >= 4);
    const from = requests.length;
    let loads = 0;
    p.on('load', () => loads++);
    const reloaded = p.waitForEvent('load');
    await p.evaluate(() => {
      consentkit.withdraw();
    });
    await reloaded;
    await settle(p);
    assert.equal(loads, 1, 'reloaded once');
    assert.deepEqual(await ranIn(p), ['stripe']);
    assert.deepEqual(await cookieNames(ctx), ['_stripe', 'consentkit']);
    assert.deepEqual(blockedRequests(from), []);
  });
});

test('a second tab runs the services the first one grants', async () => {
  server.page('/tabs.html', page());
  await withPage(browser, async (first, ctx) => {
    await first.goto(`${server.url}/tabs.html`);
    const second = await ctx.newPage();
    await second.goto(`${server.url}/tabs.html`);
    await settle(second);
    assert.deepEqual(await ranIn(second), ['stripe']);
    await first.evaluate(() => {
      consentkit.set({ categories: { analytics: true } });
    });
    await until('the second tab to run analytics', async () => (await ranIn(second)).length >= 4);
    await settle(second);
    assert.deepEqual((await ranIn(second)).slice(1).sort(), ['ga4', 'gtm', 'hotjar']);
  });
});

/** Collects CSP violations (Trusted Types ones included) from the start of every page. */
async function watchViolations(p: Page): Promise<() => Promise<string[]>> {
  await p.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return () => p.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

test('under a nonce CSP (strict-dynamic) auto-blocked scripts run on consent with no violation', async () => {
  const nonce = 'n0nceAutoBlock';
  server.page('/nonce.html', page({ nonce }), { 'content-security-policy': `script-src 'nonce-${nonce}' 'strict-dynamic'` });
  await withPage(browser, async (p) => {
    const violations = await watchViolations(p);
    await loadBlocked(p, '/nonce.html');
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('every script', async () => (await ranIn(p)).length >= 5);
    await settle(p);
    assert.deepEqual((await ranIn(p)).slice(1).sort(), ['ga4', 'gtm', 'hotjar', 'meta']);
    assert.deepEqual(await violations(), []);
  });
});

test('under Trusted Types auto-blocked scripts load through the consentkit policy, only from trustedScriptUrls, with no violation', async () => {
  const config = {
    ...CONFIG,
    trustedScriptUrls: [`${origin(HOSTS.gtm)}/gtm.js*`, `${origin(HOSTS.gtm)}/gtag/js*`, `${origin(HOSTS.hotjar)}/*`],
  };
  server.page('/tt.html', page({ config, policy: true }), {
    'content-security-policy': "require-trusted-types-for 'script'; trusted-types site consentkit lit-html",
  });
  await withPage(browser, async (p) => {
    const violations = await watchViolations(p);
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() == 'error') errors.push(m.text());
    });
    const from = await loadBlocked(p, '/tt.html');
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('the allow-listed scripts', async () => (await ranIn(p)).length >= 4);
    await settle(p);
    // fbevents.js is not in trustedScriptUrls: it stays blocked, and the console says so.
    assert.deepEqual((await ranIn(p)).slice(1).sort(), ['ga4', 'gtm', 'hotjar']);
    assert.deepEqual(requestsTo(HOSTS.metaScript, from), []);
    assert.ok(errors.some((e) => e.includes('fbevents.js') && e.includes('trustedScriptUrls')), errors.join('\n'));
    assert.deepEqual(await violations(), []);
  });
});

test('elements written in the HTML after the tag are held: they do not run or show before consent, then run once', async () => {
  server.page(
    '/parsed.html',
    `<!doctype html><html lang="en"><head><title>parsed</title>
<script>window.ran = [];</script>
<script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script>
<script src="/dist/consentkit.js"></script>
<script async src="${origin(HOSTS.hotjar)}/c/hotjar-1.js?sv=6"></script>
<script src="${origin(HOSTS.metaScript)}/en_US/fbevents.js"></script>
<script>window.ran.push('inline after')</script>
</head><body>
<iframe src="${origin(HOSTS.youtube)}/embed/abc" title="Product video"></iframe>
<img alt="" src="${origin(HOSTS.metaPixel)}/tr?id=1&amp;ev=parsed">
</body></html>`,
  );
  await withPage(browser, async (p) => {
    await p.goto(`${server.url}/parsed.html`);
    await p.getByRole('group', { name: /Product video is blocked/ }).waitFor();
    await settle(p);
    // The browser's preload scanner may have fetched them; none ran or shows.
    assert.deepEqual(await ranIn(p), ['inline after']);
    assert.equal(await p.locator(`img[data-src^="${origin(HOSTS.metaPixel)}/tr"]:not([src])`).count(), 1);
    const from = requests.length;
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('both scripts', async () => (await ranIn(p)).length >= 3);
    await p.waitForSelector(`iframe[src="${origin(HOSTS.youtube)}/embed/abc"]`);
    await until('the pixel', () => requestsTo(HOSTS.metaPixel, from).some((r) => r.path.includes('ev=parsed')));
    await settle(p);
    const ran = await ranIn(p);
    assert.deepEqual(ran.slice(1).sort(), ['hotjar', 'meta'], `each once: ${ran.join()}`);
  });
});

test('a long page: elements the parser inserts in large batches and in small ones (between inline scripts) are held alike', async () => {
  // 300 articles come in few, large batches; then each inline script stops the parser, so
  // the observer is told of a few nodes at a time. Blocked elements sit in both.
  const articles = Array.from({ length: 300 }, (_, i) => `<article><h2>Item ${i}</h2><img alt="" src="/img/${i}.gif"><p>Text <a href="/p/${i}">more</a></p></article>`);
  const pauses = Array.from({ length: 60 }, (_, i) => `<p>Pause ${i}</p><script>window.pauses = ${i + 1};</script>`);
  server.page(
    '/long.html',
    `<!doctype html><html lang="en"><head><title>long</title>
<script>window.ran = [];</script>
<script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script>
<script src="/dist/consentkit.js"></script>
</head><body><main>
${articles.slice(0, 150).join('\n')}
<img alt="" src="${origin(HOSTS.metaPixel)}/tr?id=1&amp;ev=large">
<script src="${origin(HOSTS.hotjar)}/c/hotjar-1.js?sv=large"></script>
${articles.slice(150).join('\n')}
</main>
${pauses.join('\n')}
<img alt="" src="${origin(HOSTS.metaPixel)}/tr?id=1&amp;ev=small">
<script src="${origin(HOSTS.metaScript)}/en_US/fbevents.js"></script>
<script>window.ran.push('inline after');</script>
</body></html>`,
  );
  await withPage(browser, async (p) => {
    await p.goto(`${server.url}/long.html`);
    await settle(p);
    assert.deepEqual(await ranIn(p), ['inline after']);
    assert.equal(await p.evaluate(() => (window as unknown as { pauses: number }).pauses), 60);
    // Both pixels are held: the preload scanner may have asked for them and the scripts, but
    // nothing ran and neither pixel shows.
    assert.equal(await p.locator(`img[data-src^="${origin(HOSTS.metaPixel)}/tr"]:not([src])`).count(), 2);
    const granted = requests.length;
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('both scripts', async () => (await ranIn(p)).length >= 3);
    await until('both pixels', () => ['ev=large', 'ev=small'].every((ev) => requestsTo(HOSTS.metaPixel, granted).some((r) => r.path.includes(ev))));
    await settle(p);
    const ran = await ranIn(p);
    assert.deepEqual(ran, ['inline after', 'hotjar', 'meta'], `in page order, each once: ${ran.join()}`);
  });
});

/** A page whose snippets write their tags with document.write and writeln (through the page's policy named `site` when `policy`). */
const writingPage = (policy = false) => `<!doctype html><html lang="en"><head><title>written</title>
<script>
  window.ran = [];
  var policy = ${policy ? "trustedTypes.createPolicy('site', { createHTML: function (h) { return h; } })" : 'null'};
  window.siteHtml = function (h) { return policy ? policy.createHTML(h) : h; };
</script>
<script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script>
<script src="/dist/consentkit.js"></script>
<script>document.write(siteHtml('<script src="${origin(HOSTS.hotjar)}/c/hotjar-1.js?sv=6"><\\/script>'));</script>
<script>window.ran.push('between');</script>
</head><body>
<p id="before">before</p>
<script>document.writeln(siteHtml('<p id="written">written</p><img alt="" src="${origin(HOSTS.metaPixel)}/tr?id=1&amp;ev=written">'));</script>
<p id="after">after</p>
<script>
  // A plain string: under Trusted Types the browser refuses it, with consentkit as without.
  try {
    document.write('<img alt="" src="${origin(HOSTS.metaPixel)}/tr?id=1&amp;ev=plain">');
    window.plainWrite = 'written';
  } catch (e) {
    window.plainWrite = e.name;
  }
</script>
</body></html>`;

test('tags a snippet writes with document.write are held: the script does not run before consent, then runs once, in page order', async () => {
  for (const policy of [false, true]) {
    const path = `/written-${policy}.html`;
    server.page(
      path,
      writingPage(policy),
      policy ? { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types site consentkit lit-html" } : {},
    );
    await withPage(browser, async (p) => {
      const violations = await watchViolations(p);
      await p.goto(`${server.url}${path}`);
      await settle(p);
      assert.deepEqual(await ranIn(p), ['between'], `with a policy: ${policy}`);
      assert.equal(await p.evaluate(() => (window as unknown as { plainWrite: string }).plainWrite), policy ? 'TypeError' : 'written');
      // What else was written stays where the parser put it; the pixel is held there.
      assert.deepEqual(await p.evaluate(() => [...document.body.children].filter((e) => !e.localName.startsWith('consentkit')).map((e) => e.id || e.localName)), [
        'before',
        'script',
        'written',
        'img',
        'after',
        'script',
        ...(policy ? [] : ['img']),
      ]);
      assert.equal(await p.locator(`img[data-src*="ev=written"]:not([src]), img[data-src*="ev=plain"]:not([src])`).count(), policy ? 1 : 2);
      assert.deepEqual(requestsTo(HOSTS.metaPixel).filter((r) => r.path.includes('ev=written')), []);
      await p.evaluate(() => {
        consentkit.acceptAll();
      });
      await until('hotjar', async () => (await ranIn(p)).length >= 2);
      await until('the pixel', () => requestsTo(HOSTS.metaPixel).some((r) => r.path.includes('ev=written')));
      await settle(p);
      assert.deepEqual(await ranIn(p), ['between', 'hotjar']);
      // The refused plain string is the page's own violation, and the only one.
      assert.deepEqual((await violations()).length, policy ? 1 : 0);
    });
    requests.length = 0;
  }
});

/**
 * A page whose code parses markup with setHTMLUnsafe (of an element and of a shadow root) and a
 * range's createContextualFragment, and gives images already in the page their address.
 */
const parsingPage = () => `<!doctype html><html lang="en"><head><title>parsed</title>
<script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script>
<script src="/dist/consentkit.js"></script>
</head><body>
<div id="unsafe"></div><div id="shadow"></div><div id="fragment"></div><div id="property"></div><div id="attribute"></div>
<script>
  const pixel = (ev) => '<p>' + ev + '</p><img alt="" src="${origin(HOSTS.metaPixel)}/tr?id=1&amp;ev=' + ev + '">';
  document.getElementById('unsafe').setHTMLUnsafe(pixel('unsafe'));
  document.getElementById('shadow').attachShadow({ mode: 'open' }).setHTMLUnsafe(pixel('shadow'));
  const range = document.createRange();
  range.selectNodeContents(document.getElementById('fragment'));
  // Parsed, then inserted a moment later: an image of a fragment loads as soon as it is parsed.
  const fragment = range.createContextualFragment(pixel('fragment'));
  setTimeout(() => document.getElementById('fragment').append(fragment), 300);
  for (const [ev, set] of [['property', (img, url) => { img.src = url; }], ['attribute', (img, url) => { img.setAttribute('src', url); }]]) {
    const box = document.getElementById(ev);
    box.innerHTML = '<p>' + ev + '</p><img alt="">';
    set(box.querySelector('img'), '${origin(HOSTS.metaPixel)}/tr?id=1&ev=' + ev);
  }
</script>
</body></html>`;

test('markup parsed by setHTMLUnsafe and createContextualFragment, and addresses given in the page, are held: no request before consent, then each image loads once', async () => {
  server.page('/parsed-by-code.html', parsingPage());
  await withPage(browser, async (p) => {
    const pixels = () =>
      requestsTo(HOSTS.metaPixel)
        .map((r) => /ev=(\w+)/.exec(r.path)?.[1])
        .sort();
    await p.goto(`${server.url}/parsed-by-code.html`);
    await settle(p);
    assert.deepEqual(pixels(), []);
    // Each one is in its place, in the held form, with the text beside it.
    assert.deepEqual(
      await p.evaluate(() =>
        ['unsafe', 'shadow', 'fragment', 'property', 'attribute'].map((id) => {
          const el = document.getElementById(id);
          const root = el?.shadowRoot ?? el;
          return `${root?.querySelector('p')?.textContent} ${root?.querySelector('img')?.getAttribute('data-service')} ${root?.querySelector('img')?.getAttribute('src')}`;
        }),
      ),
      ['unsafe meta null', 'shadow meta null', 'fragment meta null', 'property meta null', 'attribute meta null'],
    );
    await p.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('the pixels', () => pixels().length >= 5);
    await settle(p);
    assert.deepEqual(pixels(), ['attribute', 'fragment', 'property', 'shadow', 'unsafe']);
  });
  requests.length = 0;
});

test('without URL patterns in the config nothing is patched', async () => {
  const config = { categories: CONFIG.categories.map((c) => ({ ...c, services: c.services.map(({ id }) => ({ id })) })) };
  server.page('/no-patterns.html', `<!doctype html><html lang="en"><head><title>plain</title>
<script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script>
<script src="/dist/consentkit.js"></script></head><body></body></html>`);
  server.page('/patterns.html', `<!doctype html><html lang="en"><head><title>patterns</title>
<script type="application/json" id="consentkit-config">${JSON.stringify(CONFIG)}</script>
<script src="/dist/consentkit.js"></script></head><body></body></html>`);
  // Read as descriptors' values, so that no method is taken off its object.
  const nativeApis = (p: Page) =>
    p.evaluate(() =>
      (
        [
          [window, 'fetch', 'value'],
          [Navigator.prototype, 'sendBeacon', 'value'],
          [XMLHttpRequest.prototype, 'open', 'value'],
          [Element.prototype, 'setAttribute', 'value'],
          [Node.prototype, 'appendChild', 'value'],
          [HTMLImageElement.prototype, 'src', 'set'],
          [Element.prototype, 'innerHTML', 'set'],
          [Document.prototype, 'write', 'value'],
        ] as const
      ).map(([target, name, kind]) => String(Reflect.get(Object.getOwnPropertyDescriptor(target, name) ?? {}, kind)).includes('[native code]')),
    );
  await withPage(browser, async (p) => {
    await p.goto(`${server.url}/no-patterns.html`);
    assert.deepEqual(await nativeApis(p), [true, true, true, true, true, true, true, true]);
    await p.goto(`${server.url}/patterns.html`);
    assert.deepEqual(await nativeApis(p), [false, false, false, false, false, false, false, false]);
  });
});
