// Shared by items-01-12.test.ts and items-13-24.test.ts: pages built the way a
// site owner would (config and the one-tag bundle first in <head>), and what a
// visitor or a tracker sees of them.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { TestServer } from '../helpers.js';

export { contrast, part } from '../helpers.js';

/** Hosts a real site would load trackers from; the browser never reaches them (see `trackers`). */
export const TRACKER_HOSTS = ['www.googletagmanager.com', 'www.google-analytics.com', 'connect.facebook.net', 'tracker.example'];

export const CATEGORIES = [
  { id: 'necessary', required: true, cookies: [{ name: 'consentkit', provider: 'This site', purpose: 'Remembers your choice', duration: '6 months' }] },
  {
    id: 'functional',
    cookies: [{ name: 'prefs', provider: 'This site', purpose: 'Remembers settings', duration: '1 year' }],
  },
  {
    id: 'analytics',
    services: [
      {
        id: 'ga4',
        label: 'Google Analytics',
        cookies: [{ name: '_ga*', provider: 'Google', purpose: 'Counts visits', duration: '13 months' }],
      },
    ],
  },
  {
    id: 'advertising',
    cookies: [{ name: '_fbp', provider: 'Meta', purpose: 'Ad measurement', duration: '3 months' }],
  },
];

let pages = 0;

export interface SiteOptions {
  /** Extra markup at the end of <head>, after the consentkit tag. */
  head?: string;
  body?: string;
  /** Markup before the config (e.g. a region meta tag). */
  before?: string;
  /** Page path; a fresh one by default. */
  path?: string;
}

/** Serves a page with `config` and the built one-tag bundle; returns its URL. */
export function site(server: TestServer, config: Record<string, unknown>, o: SiteOptions = {}): string {
  const path = o.path ?? `/p${++pages}.html`;
  server.page(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${o.before ?? ''}
<script type="application/json" id="consentkit-config">${JSON.stringify({ categories: CATEGORIES, ...config }).replace(/</g, '\\u003c')}</script>
<script src="/dist/consentkit.js"></script>${o.head ?? ''}</head>
<body><h1>Northwind shop</h1><p>Content <a href="#top">link</a></p>${o.body ?? ''}</body></html>`,
  );
  return server.url + path;
}

/** Records every request to a tracker host and answers it locally (a script that sets a cookie, or 204). */
export async function trackers(ctx: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  await ctx.route(
    (url) => TRACKER_HOSTS.includes(url.hostname),
    (route) => {
      const req: Request = route.request();
      seen.push(req.url());
      if (req.resourceType() == 'script')
        return route.fulfill({
          contentType: 'text/javascript',
          body: "document.cookie='_ga_TRACK=1;path=/';(window.__trackerRuns=(window.__trackerRuns||0)+1);",
        });
      return route.fulfill({ status: 204 });
    },
  );
  return seen;
}

/** Defines `navigator.globalPrivacyControl = true` before any script of the page runs. */
export const withGpc = (target: Page | BrowserContext) =>
  // A string, not a function: the test transpiler would inject helpers the page lacks.
  target.addInitScript("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });");

/** Counts the visitor's real (trusted) clicks in this tab, across shadow roots and reloads. */
export const countClicks = (target: Page | BrowserContext) =>
  target.addInitScript(
    "addEventListener('click', function (e) { if (e.isTrusted) sessionStorage.setItem('__clicks', String(Number(sessionStorage.getItem('__clicks') || 0) + 1)); }, true);",
  );
export const clicks = (page: Page): Promise<number> => page.evaluate(() => Number(sessionStorage.getItem('__clicks') ?? 0));
export const resetClicks = (page: Page): Promise<void> =>
  page.evaluate(() => {
    sessionStorage.removeItem('__clicks');
  });

/**
 * Keeps a copy of every dataLayer push in sessionStorage, so a test can read
 * what was pushed before a reload (withdrawal reloads the page). Each page view
 * of the top frame starts with a `{ view: true }` entry.
 */
export const logDataLayer = (target: Page | BrowserContext) =>
  target.addInitScript(`(function () {
  if (window.top !== window) return; // frames (an about:blank one shares the origin) are no page view
  sessionStorage.setItem('__dl', JSON.stringify(JSON.parse(sessionStorage.getItem('__dl') || '[]').concat([{ view: true }])));
  var dl = window.dataLayer = window.dataLayer || [];
  var push = dl.push;
  dl.push = function () {
    var log = JSON.parse(sessionStorage.getItem('__dl') || '[]');
    for (var i = 0; i < arguments.length; i++) {
      var e = arguments[i];
      log.push(Object.prototype.toString.call(e) == '[object Arguments]' ? { args: Array.prototype.slice.call(e) } : { obj: e });
    }
    sessionStorage.setItem('__dl', JSON.stringify(log));
    return push.apply(dl, arguments);
  };
})();`);

/** A dataLayer entry: `args` for gtag() commands (Arguments objects), `obj` for plain pushes; `view` starts a page view in a logged dataLayer. */
export interface Entry {
  args?: unknown[];
  obj?: Record<string, unknown>;
  view?: true;
}

/** A logged dataLayer (`loggedDataLayer`) split into page views, oldest first. */
export const views = (log: Entry[]): Entry[][] =>
  log.reduce<Entry[][]>((out, e) => {
    if (e.view) out.push([]);
    else out.at(-1)?.push(e);
    return out;
  }, []);

/** Everything pushed onto the dataLayer in this tab (across reloads, with `logDataLayer`). */
export const loggedDataLayer = (page: Page): Promise<Entry[]> =>
  page.evaluate(() => JSON.parse(sessionStorage.getItem('__dl') ?? '[]') as Entry[]);

/** The dataLayer of the current page view, in order. */
export const dataLayer = (page: Page): Promise<Entry[]> =>
  page.evaluate(() =>
    ((window as unknown as { dataLayer?: unknown[] }).dataLayer ?? []).map((e) =>
      Object.prototype.toString.call(e) == '[object Arguments]' || Array.isArray(e)
        ? { args: JSON.parse(JSON.stringify(Array.from(e as ArrayLike<unknown>))) as unknown[] }
        : { obj: JSON.parse(JSON.stringify(e)) as Record<string, unknown> },
    ),
  );

export const isCmd = (e: Entry, a: string, b?: string) => e.args?.[0] == a && (b === undefined || e.args[1] == b);
export const indexOf = (dl: Entry[], pred: (e: Entry) => boolean) => dl.findIndex(pred);
export const updates = (dl: Entry[]) =>
  dl.filter((e) => isCmd(e, 'consent', 'update')).map((e) => e.args?.[2] as Record<string, string>);
export const consentEvents = (dl: Entry[]) =>
  dl.filter((e) => e.obj?.event == 'consentkit_update').map((e) => e.obj?.consentkit as Record<string, unknown>);

/** The consentkit API as tests read it in the page. */
export interface Api {
  getState(): {
    decided: boolean;
    categories: Record<string, boolean>;
    services: Record<string, boolean>;
    choice: { id: string; action: string; source: string; gpc: boolean } | null;
  };
  isGranted(e: string): boolean;
  acceptAll(): void;
  rejectAll(): void;
  set(i: unknown, source?: string): void;
  ok: boolean;
  mode: string;
  gpc: boolean;
}

/** The page's `window.consentkit`, read in the page. */
export const state = (page: Page) =>
  page.evaluate(() => (window as unknown as { consentkit: Api }).consentkit.getState());

/** A fresh browser context (its own cookies and storage), closed after `fn`. */
export async function visitor<T>(
  browser: Browser,
  fn: (ctx: BrowserContext, page: Page) => Promise<T>,
): Promise<T> {
  const ctx = await browser.newContext();
  try {
    return await fn(ctx, await ctx.newPage());
  } finally {
    await ctx.close();
  }
}

/** Names of the cookies the browser holds for the page. */
export const cookieNames = async (ctx: BrowserContext): Promise<string[]> =>
  (await ctx.cookies()).map((c) => c.name).sort();

/** localStorage keys of the page. */
export const storageKeys = (page: Page): Promise<string[]> =>
  page.evaluate(() => Object.keys(localStorage).sort());

/** Serves a consent-record endpoint at `path` (201 to every POST); returns the records received, in order. */
export function recordsAt(server: TestServer, path: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  server.route(
    path,
    async (r) => {
      records.push(JSON.parse(await r.body()) as Record<string, unknown>);
      r.res.writeHead(201, { 'content-type': 'application/json' });
      r.res.end('{"stored":true}');
    },
    'POST',
  );
  return records;
}

/** Waits (up to 5 s) until `cond` holds, e.g. until the endpoint got a record. */
export const until = async (page: Page, cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 50 && !cond(); i++) await page.waitForTimeout(100);
};
