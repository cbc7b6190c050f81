// Helpers for the compliance tests of items 25–48: pages that load the built
// one-tag bundle as a site would, a fresh browser context per test, and
// collectors for console errors, page errors and CSP / Trusted Types violations.
import type { Browser, Page } from 'playwright-core';
import { type TestServer, useBrowserAndServer } from '../helpers.js';

/** The browser and test server a file's tests share. */
export interface Env {
  browser: Browser;
  server: TestServer;
}

/** Starts a browser and a server before the file's tests (then runs `setup`), closes both after. */
export const useBrowser: (setup?: (server: TestServer) => void) => Env = useBrowserAndServer;

export const CATEGORIES = [{ id: 'necessary', required: true }, { id: 'analytics' }, { id: 'advertising' }];

export interface SiteOptions {
  config?: object;
  lang?: string;
  /** Markup before the config (meta tags, queue scripts). */
  head?: string;
  body?: string;
  /** CSP nonce put on the gate and the page's own inline script. */
  nonce?: string;
}

/** A page as a site owner writes it: config, then the tag, first in `<head>` (`<` escaped, so a `</script>` in a text cannot end the config early). */
export function site({ config = { categories: CATEGORIES }, lang = 'en', head = '', body = '', nonce }: SiteOptions = {}): string {
  const n = nonce ? ` nonce="${nonce}"` : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>compliance</title><link rel="icon" href="data:,">
<script${n}>window.log = [];</script>${head}
<script type="application/json" id="consentkit-config">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>
<script src="/dist/consentkit.js"${n}></script></head>
<body><h1>Shop</h1>${body}</body></html>`;
}

/** Serves a script at `path` that logs `name` into `window.log` when it runs. */
export function logScript(server: TestServer, path: string, name: string): void {
  server.route(path, ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`window.log.push(${JSON.stringify(name)});`);
  });
}

export interface Watch {
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** `securitypolicyviolation` events seen by the page: `directive blockedURI`. */
  violations(): Promise<string[]>;
}

/** Starts collecting errors and policy violations; call before `goto`. */
export async function watch(page: Page): Promise<Watch> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() == 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        w.violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`.trim());
      },
      true,
    );
  });
  return {
    errors,
    violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations),
  };
}

/** `window.log` of the page: names of the marked scripts that ran. */
export const logOf = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { log: string[] }).log);

/** The element focused now, looking inside shadow roots: `host>tag.part` or `tag#id`. */
export const focusedDescription = (page: Page): Promise<string> =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    const hosts: string[] = [];
    while (el?.shadowRoot?.activeElement) {
      hosts.push(el.localName);
      el = el.shadowRoot.activeElement;
    }
    if (!el) return '';
    const id = el.id ? `#${el.id}` : '';
    const p = el.getAttribute('part') ? `.${el.getAttribute('part')}` : '';
    return [...hosts, `${el.localName}${id}${p}`].join('>');
  });

export { contrast, part, until, withPage } from '../helpers.js';

/** The consentkit API as the tests call it in the page. */
export interface Api {
  mode: string;
  region?: string;
  getState(): {
    decided: boolean;
    categories: Record<string, boolean>;
    services: Record<string, boolean>;
    choice: { id: string; action: string; source: string } | null;
  };
  isGranted(e: string): boolean;
  acceptAll(source?: string): void;
  rejectAll(source?: string): void;
  set(i: unknown, source?: string): void;
  withdraw(source?: string): void;
  reset(): void;
  onChange(fn: (d: { granted: string[]; revoked: string[] }) => void): () => void;
  showPreferences(): void;
  showBanner(): void;
}
