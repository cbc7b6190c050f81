/**
 * One page through the four moments `consentkit scan` checks, as a visitor
 * would live them: before any choice, after Reject all (clicked on the banner,
 * then the next page view), after Accept all, and after withdrawal (through
 * the API). Each visitor is a fresh browser context.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { Catalog } from '../catalog/catalog.js';
import type { ConsentKit } from '../gate/core/consent-kit.js';
import {
  isAllowed,
  isOtherSite,
  isPermitted,
  place,
  withSourceServiceFields,
  type GrantState,
  type Item,
  type Placement,
  type RegistrableDomain,
  type SiteConfig,
} from './classify.js';

export type Phase = 'before-consent' | 'after-reject' | 'after-accept' | 'after-withdrawal';
export const PHASES: readonly Phase[] = ['before-consent', 'after-reject', 'after-accept', 'after-withdrawal'];

/**
 * An item seen in a phase, placed, with its verdict: `fine` (may be there),
 * `violation`, `allowed` (a violation the owner accepted with `--allow`) or
 * `seen` (after Accept all, where everything may be there).
 */
export interface Sighting extends Item, Placement {
  phase: Phase;
  status: 'fine' | 'violation' | 'allowed' | 'seen';
  /** Why it is a violation, in words. */
  reason?: string;
}

export interface PageResult {
  url: string;
  /** Why the page could not be scanned (not found, no consentkit, no banner). */
  error?: string;
  /** The site's config as the page resolved it. */
  config?: SiteConfig;
  /** The config as the site wrote it (`consentkit.config.source`), for the draft. */
  source?: unknown;
  sightings: Sighting[];
}

export interface PageScanOptions {
  catalog: Catalog;
  /** Tells sites apart (the Public Suffix List, through tldts). */
  registrableDomain: RegistrableDomain;
  /** The owner's accepted exceptions (`--allow`). */
  allow: readonly string[];
  /** Milliseconds to wait for a page, the API and the banner. */
  timeout: number;
  /** Milliseconds to keep watching once the network is quiet (timers, late cookies). */
  wait: number;
  /** Called as each phase starts. */
  onPhase?: (phase: Phase) => void;
}

/** A page error: what the owner sees for a page that could not be scanned. */
class PageError extends Error {}

const BANNER_BUTTON = (part: 'accept-all' | 'reject-all') => `consentkit-banner [part~="${part}"]`;
/** How long the network must be quiet before a phase is read. */
const QUIET_MS = 500;
/** A request in flight longer than this (a beacon, a long poll) no longer keeps the network busy. */
const LONG_REQUEST_MS = 3000;

/**
 * Watches a context's requests: keeps those to other sites with the phase they started in,
 * and tells when the network is quiet.
 */
function watchRequests(context: BrowserContext, pageUrl: string, registrableDomain: RegistrableDomain, currentPhase: () => Phase) {
  const other: { url: string; phase: Phase }[] = [];
  const inFlight = new Map<Request, number>();
  let lastActivity = Date.now();
  const finished = (request: Request) => {
    inFlight.delete(request);
    lastActivity = Date.now();
  };
  context.on('request', (request) => {
    inFlight.set(request, Date.now());
    lastActivity = Date.now();
    if (isOtherSite(request.url(), pageUrl, registrableDomain)) other.push({ url: request.url(), phase: currentPhase() });
  });
  context.on('requestfinished', finished);
  context.on('requestfailed', finished);
  // A beacon or a long poll may never be seen to finish: it does not hold the scan for ever.
  const busy = () => [...inFlight.values()].some((startedAt) => Date.now() - startedAt < LONG_REQUEST_MS);
  return {
    other,
    /** Resolves once the network has been quiet for QUIET_MS (at most `timeout`), then `wait` more. */
    async settle(timeout: number, wait: number): Promise<void> {
      const end = Date.now() + timeout;
      while (Date.now() < end && (busy() || Date.now() - lastActivity < QUIET_MS)) await delay(100);
      await delay(wait);
    },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens `url` and waits for the consentkit API; returns what it says of the config. */
async function open(page: Page, url: string, timeout: number): Promise<{ config: SiteConfig; source: unknown }> {
  let response;
  try {
    response = await page.goto(url, { waitUntil: 'load', timeout });
  } catch (error) {
    throw new PageError(`could not load the page: ${firstLine(error)}`);
  }
  if (response && response.status() >= 400) throw new PageError(`the page answered HTTP ${response.status()}`);
  try {
    await page.waitForFunction(() => typeof window.consentkit == 'object' && !Array.isArray(window.consentkit), undefined, { timeout });
  } catch {
    throw new PageError('consentkit is not on this page (window.consentkit never appeared)');
  }
  const read = await page.evaluate(() => {
    const kit = window.consentkit as ConsentKit;
    const { config } = kit;
    return {
      config: {
        cookieName: config.cookie.name,
        reportUrl: config.report ? new URL(config.report.url, location.href).href : undefined,
        categories: JSON.parse(JSON.stringify(config.categories)) as SiteConfig['categories'],
      },
      source: JSON.parse(JSON.stringify(config.source ?? null)) as unknown,
    };
  });
  return { config: { ...read.config, categories: withSourceServiceFields(read.config.categories, read.source) }, source: read.source };
}

const readState = (page: Page): Promise<GrantState> =>
  page.evaluate(() => {
    const { categories, services } = (window.consentkit as ConsentKit).getState();
    return { categories, services };
  });

/** Every cookie of the context, and every web-storage key of every frame of the page. */
async function readStored(context: BrowserContext, page: Page, cookieUrl?: string): Promise<Item[]> {
  const cookies = await (cookieUrl ? context.cookies(cookieUrl) : context.cookies());
  const items: Item[] = cookies.map((cookie) => ({ kind: 'cookie', name: cookie.name, domain: cookie.domain.replace(/^\./, ''), expires: cookie.expires }));
  for (const frame of page.frames()) {
    try {
      const stored = await frame.evaluate(() => {
        const keys = (storage: Storage) => Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '');
        return { host: location.hostname, local: keys(localStorage), session: keys(sessionStorage) };
      });
      for (const key of stored.local) items.push({ kind: 'localStorage', name: key, domain: stored.host });
      for (const key of stored.session) items.push({ kind: 'sessionStorage', name: key, domain: stored.host });
    } catch {
      // A frame that navigated away or denies storage (opaque origin) has nothing to read.
    }
  }
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.kind} ${item.domain} ${item.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const requestItem = (url: string): Item => {
  const parsed = new URL(url);
  return { kind: 'request', name: parsed.origin + parsed.pathname, domain: parsed.hostname, url };
};

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** Clicks a banner button as a visitor would, once it is there. */
async function clickBanner(page: Page, part: 'accept-all' | 'reject-all', timeout: number): Promise<void> {
  const button = page.locator(BANNER_BUTTON(part)).first();
  try {
    await button.waitFor({ state: 'visible', timeout });
  } catch {
    throw new PageError(`no banner with a ${part == 'accept-all' ? 'Accept all' : 'Reject all'} button appeared (<consentkit-banner> part "${part}")`);
  }
  await button.click({ timeout });
}

/** Scans one page; never throws for the page's own faults (they become `error`). */
export async function scanPage(browser: Browser, url: string, options: PageScanOptions): Promise<PageResult> {
  const result: PageResult = { url, sightings: [] };
  let config: SiteConfig | undefined;

  /**
   * Records items seen in `phase`, each judged against `state` (none: everything may be
   * there); `judged` says which placements are judged at all, `reason` why one is a violation.
   */
  const record = (phase: Phase, items: Item[], state: GrantState | undefined, reason: (placement: Placement) => string, judged: (placement: Placement) => boolean = () => true) => {
    if (!config) return;
    for (const item of items) {
      const placement = place(item, config, options.catalog);
      let status: Sighting['status'] = 'seen';
      if (state && judged(placement)) status = isPermitted(placement, config, state) ? 'fine' : isAllowed(item, options.allow) ? 'allowed' : 'violation';
      result.sightings.push({ ...item, ...placement, phase, status, ...(status == 'fine' || status == 'seen' ? {} : { reason: reason(placement) }) });
    }
  };

  try {
    // The visitor who refuses: what is there before the choice, then after Reject all and on the next page view.
    await withContext(browser, url, options, async (page, context, watch, setPhase) => {
      setPhase('before-consent');
      ({ config, source: result.source } = await open(page, url, options.timeout));
      result.config = config;
      await watch.settle(options.timeout, options.wait);
      const before = await readStored(context, page);
      record('before-consent', [...before, ...watch.other.map((r) => requestItem(r.url))], await readState(page), () => 'before any choice');

      setPhase('after-reject');
      await clickBanner(page, 'reject-all', options.timeout);
      await watch.settle(options.timeout, options.wait);
      await page.reload({ waitUntil: 'load', timeout: options.timeout });
      await watch.settle(options.timeout, options.wait);
      const known = new Set(before.map((item) => `${item.kind} ${item.domain} ${item.name}`));
      const after = (await readStored(context, page)).filter((item) => !known.has(`${item.kind} ${item.domain} ${item.name}`));
      const requests = watch.other.filter((r) => r.phase == 'after-reject').map((r) => requestItem(r.url));
      record('after-reject', [...after, ...requests], await readState(page), () => 'after Reject all');
    });

    // The visitor who accepts, then withdraws.
    await withContext(browser, url, options, async (page, context, watch, setPhase) => {
      await open(page, url, options.timeout);
      setPhase('after-accept');
      await clickBanner(page, 'accept-all', options.timeout);
      await watch.settle(options.timeout, options.wait);
      const accepted = await readStored(context, page);
      record('after-accept', [...accepted, ...watch.other.filter((r) => r.phase == 'after-accept').map((r) => requestItem(r.url))], undefined, () => '');

      setPhase('after-withdrawal');
      // Withdrawing reloads the page once when something granted already ran (reloadOnWithdraw).
      const reloaded = page.waitForEvent('load', { timeout: Math.min(options.timeout, 5000) }).catch(() => undefined);
      await page
        .evaluate(() => {
          (window.consentkit as ConsentKit).withdraw();
        })
        .catch(() => undefined); // the reload may come before the answer
      await reloaded;
      await watch.settle(options.timeout, options.wait);
      await page.waitForFunction(() => typeof window.consentkit == 'object' && !Array.isArray(window.consentkit), undefined, { timeout: options.timeout });
      // Only the page's own cookies: consentkit cannot delete another site's.
      const left = (await readStored(context, page, page.url())).filter((item) => item.kind == 'cookie');
      // Judged: what a category owns; an unknown cookie is listed for the owner to place instead.
      record(
        'after-withdrawal',
        left,
        await readState(page),
        (placement) => (placement.listed ? 'still set after withdrawal' : 'still set after withdrawal: the config does not list it, so consentkit cannot delete it'),
        (placement) => placement.basis != 'unknown',
      );
    });
  } catch (error) {
    result.error = firstLine(error);
  }
  return result;
}

type PhaseWork = (page: Page, context: BrowserContext, watch: ReturnType<typeof watchRequests>, setPhase: (phase: Phase) => void) => Promise<void>;

/** Runs `work` in a fresh browser context (no cookies, no storage), then closes it. */
async function withContext(browser: Browser, url: string, options: PageScanOptions, work: PhaseWork): Promise<void> {
  const context = await browser.newContext();
  try {
    let phase: Phase = 'before-consent';
    const watch = watchRequests(context, url, options.registrableDomain, () => phase);
    const page = await context.newPage();
    await work(page, context, watch, (next) => {
      phase = next;
      options.onPhase?.(next);
    });
  } finally {
    await context.close();
  }
}
