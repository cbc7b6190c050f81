// Shared helpers for the page tests (Playwright Test, playwright.config.ts): a system
// Chromium via playwright-core for files that need their own launch flags, and a
// small static server that serves the built dist/ plus per-test pages/routes.
import type { IncomingHttpHeaders, OutgoingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../../scripts/find-chrome.mjs';
import {
  NO_CACHE_HEADERS,
  createStaticServer,
  listen,
  staticHandler,
  type Handler,
} from '../../scripts/static-server.mjs';

/** Repository root (two levels above test/e2e/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The build the page tests load: dist/, or the directory in `CONSENTKIT_DIST` (another
 * build of the same files, such as the one `npm run bench:auto-block -- --floor-dist` writes).
 */
export const DIST_DIR = process.env.CONSENTKIT_DIST?.trim() ? process.env.CONSENTKIT_DIST : join(ROOT, 'dist');

export type { Handler };

/** Launches the system Chrome/Chromium headless (never a downloaded browser). */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    headless: true,
    ...options,
    executablePath: findChrome(),
    args: [...CHROME_ARGS, ...(options.args ?? [])],
  });
}

/** Runs `fn` with a page in a fresh browser context (no cookies, no storage; `options` for the context), then closes it. */
export async function withPage(
  browser: Browser,
  fn: (page: Page, ctx: BrowserContext) => Promise<void>,
  options: BrowserContextOptions = {},
): Promise<void> {
  const ctx = await browser.newContext(options);
  try {
    await fn(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}

/** A `[part~=name]` element inside `host`'s shadow root (Playwright's CSS pierces it). */
export const part = (page: Page, host: string, name: string) => page.locator(`${host} [part~="${name}"]`);

/** WCAG relative luminance contrast of two CSS colours (`rgb(…)`/`rgba(…)` as computed). */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(c);
    if (!m) throw new Error(`not an rgb colour: ${c}`);
    const [r, g, bl] = [m[1], m[2], m[3]].map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** A request seen by the server, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The request body as text (read on demand). */
  body(): Promise<string>;
}

/**
 * Handles a request for an exact path. Return (or resolve to) `false` to fall
 * through to the next handler; anything else means the request was handled.
 */
export type RouteHandler = (request: RouteRequest) => unknown;

export interface TestServer {
  /** Origin, e.g. `http://127.0.0.1:43567` (no trailing slash). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Serves `html` at `path` (e.g. '/p.html'), with optional extra response headers. */
  page(path: string, html: string, headers?: OutgoingHttpHeaders): void;
  /**
   * Handles requests for `path` (any method); `method` narrows it. Registering a
   * path twice for the same method throws: the first registration would answer
   * and the second would silently never be seen.
   */
  route(path: string, handler: RouteHandler, method?: string): void;
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** Pages to register up front: path → HTML. */
  pages?: Record<string, string>;
  /** Routes to register up front: path → handler. */
  routes?: Record<string, RouteHandler>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * Starts a server on 127.0.0.1 (free port) serving the repository's dist/ at
 * /dist/, plus any pages and routes the test registers. Unknown paths → 404.
 */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, { method: string | undefined; handler: RouteHandler }[]>();

  const route = (path: string, handler: RouteHandler, method?: string): void => {
    const list = routes.get(path) ?? [];
    const m = method?.toUpperCase();
    if (list.some((e) => e.method === undefined || m === undefined || e.method === m))
      throw new Error(`test server: ${m ?? 'any method'} ${path} is already registered; give each page its own path`);
    list.push({ method: method?.toUpperCase(), handler });
    routes.set(path, list);
  };
  const page = (path: string, html: string, headers: OutgoingHttpHeaders = {}): void => {
    route(
      path,
      ({ res }) => {
        res.writeHead(200, { ...NO_CACHE_HEADERS, 'content-type': 'text/html; charset=utf-8', ...headers });
        res.end(html);
      },
      'GET',
    );
  };

  const record: Handler = (req, _res, url) => {
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers });
    return false;
  };
  const dispatch: Handler = async (req, res, url) => {
    for (const entry of routes.get(url.pathname) ?? []) {
      if (entry.method && entry.method !== req.method) continue;
      const handled = await entry.handler({ req, res, url, body: () => readBody(req) });
      if (handled !== false) return true;
    }
    return false;
  };

  for (const [path, html] of Object.entries(options.pages ?? {})) page(path, html);
  for (const [path, handler] of Object.entries(options.routes ?? {})) route(path, handler);

  const server = createStaticServer([record, dispatch, staticHandler('/dist/', DIST_DIR)]);
  const port = await listen(server, 0);

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    page,
    route,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/**
 * A browser and a server for every test of the calling file: the worker's browser
 * (Playwright's `browser` fixture, launched as playwright.config.ts says) and a
 * server started in `beforeAll` (then `setup` runs, e.g. to add routes), closed in
 * `afterAll`. Read `browser` and `server` inside tests, not at load time.
 */
export function useBrowserAndServer(setup?: (server: TestServer) => void): { readonly browser: Browser; readonly server: TestServer } {
  const shared = {} as { browser: Browser; server: TestServer };
  test.beforeAll(async ({ browser }) => {
    shared.browser = browser;
    shared.server = await startServer();
    setup?.(shared.server);
  });
  test.afterAll(async () => {
    await shared.server.close();
  });
  return shared;
}

/** Polls `fn` every 100 ms until it returns something truthy; throws naming `what` after `timeout` ms. */
export async function until<T>(what: string, fn: () => T | undefined | false | null | Promise<T | undefined | false | null>, timeout = 20_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Serves `/fake/<name>` for each name: a fake tag that records its name and the dataLayer length it saw. */
export function serveFakeTags(server: TestServer, names: string[]): void {
  for (const name of names)
    server.route(`/fake/${name}`, ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(`(window.__tags = window.__tags || []).push({ tag: ${JSON.stringify(name)}, at: window.dataLayer ? dataLayer.length : -1 });`);
    });
}

/**
 * The usual Google snippets, for a page after the consentkit tag: the gtag config,
 * gtag.js and the GTM loader (served from `/fake/`), and a tag marked `analytics`.
 */
export const GOOGLE_TAGS = `
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-TEST');
</script>
<script async src="/fake/gtag.js"></script>
<script>(function(w,d,s,l){w[l]=w[l]||[];w[l].push({'gtm.start':Date.now(),event:'gtm.js'});
  var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;j.src='/fake/gtm.js';f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer');</script>
<script type="text/plain" data-category="analytics" src="/fake/marked.js"></script>`;
