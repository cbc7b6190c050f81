/**
 * What a cookie, storage key or request found by `consentkit scan` belongs to:
 * consentkit itself, a category or service of the site's config, a catalog
 * entry, or nothing known. And whether, in a given consent state, it may be
 * there. Pure functions: the browser work is in `scan-page.ts`.
 */
import type { CategoryConfig } from '../gate/core/config.js';
import { cookieMatches } from '../gate/core/cookie-jar.js';
import { matchesUrlPattern } from '../gate/blocker/url-pattern.js';
import { findServiceByCookie, findServiceByStorageKey, findServiceByUrl, type Catalog, type CatalogService } from '../catalog/catalog.js';

export type ItemKind = 'cookie' | 'localStorage' | 'sessionStorage' | 'request';

/** Something a page set or did. */
export interface Item {
  kind: ItemKind;
  /** Cookie name, storage key, or request URL without its query. */
  name: string;
  /** The cookie's domain, the storage's host, or the request's host. */
  domain: string;
  /** The whole request URL (requests only). */
  url?: string;
  /** When the cookie expires, in seconds since 1970; -1 for a session cookie (cookies only). */
  expires?: number;
}

/** What the scanner reads of the site's config through `window.consentkit.config`. */
export interface SiteConfig {
  /** The consent cookie's name (`consentkit`). */
  cookieName: string;
  /** The consent-record endpoint, absolute, when records are sent. */
  reportUrl?: string;
  categories: CategoryConfig[];
}

/**
 * The resolved categories, with each service's `urls` and `catalog` taken from the config as
 * the site wrote it (`source`) where the resolved config does not carry them.
 */
export function withSourceServiceFields(categories: CategoryConfig[], source: unknown): CategoryConfig[] {
  const written = new Map<string, Record<string, unknown>>();
  const sourceCategories = isRecord(source) && Array.isArray(source.categories) ? source.categories : [];
  for (const category of sourceCategories)
    if (isRecord(category) && Array.isArray(category.services))
      for (const service of category.services as unknown[]) if (isRecord(service) && typeof service.id == 'string') written.set(service.id, service);
  return categories.map((category) => ({
    ...category,
    ...(category.services && {
      services: category.services.map((service) => {
        const original = written.get(service.id);
        const urls = original?.urls;
        const catalog = original?.catalog;
        return {
          ...service,
          ...(service.urls == null && Array.isArray(urls) && urls.every((url) => typeof url == 'string') ? { urls } : {}),
          ...(service.catalog == null && typeof catalog == 'string' ? { catalog } : {}),
        };
      }),
    }),
  }));
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value == 'object' && value !== null && !Array.isArray(value);

/** Where an item was placed, and on what ground. */
export interface Placement {
  /** Category id; undefined when nothing names the item. */
  category?: string;
  /** Service id of the config (or of the catalog entry, when the config has no such service). */
  service?: string;
  /** Catalog entry id, when the catalog names the item. */
  catalog?: string;
  /**
   * `consentkit`: the kit's own cookie, storage or files; `config`: the site's config lists it;
   * `catalog`: only the catalog names it; `unknown`: nothing does.
   */
  basis: 'consentkit' | 'config' | 'catalog' | 'unknown';
  /** Whether the config lists the cookie by name (so consentkit deletes it on withdrawal). */
  listed: boolean;
}

/** Which categories and services are granted (`window.consentkit.getState()`). */
export interface GrantState {
  categories: Record<string, boolean | undefined>;
  services: Record<string, boolean | undefined>;
}

/** consentkit's own files (`consentkit.js`, `consentkit-ui.js`, …) and translations beside them. */
const OWN_FILE = /\/consentkit(-[a-z]+)?\.js$|\/i18n\/[A-Za-z-]+\.json$/;

/** The config service (with its category) that `test` picks, if any. */
function findConfigService(config: SiteConfig, test: (service: NonNullable<CategoryConfig['services']>[number]) => boolean) {
  for (const category of config.categories)
    for (const service of category.services ?? []) if (test(service)) return { category, service };
  return undefined;
}

/** Places an item the catalog names: in the config's service expanded from that entry when there is one. */
function placeByCatalog(config: SiteConfig, entry: CatalogService, listed: boolean): Placement {
  const inConfig = findConfigService(config, (service) => service.catalog == entry.id || service.id == entry.id);
  if (inConfig) return { category: inConfig.category.id, service: inConfig.service.id, catalog: entry.id, basis: 'config', listed };
  return { category: entry.category, service: entry.id, catalog: entry.id, basis: 'catalog', listed };
}

function placeCookie(name: string, config: SiteConfig, catalog: Catalog): Placement {
  if (name == config.cookieName) return { category: 'necessary', basis: 'consentkit', listed: true };
  const names = (list: { name: string }[] | undefined) => (list ?? []).some((cookie) => cookieMatches(cookie.name, name));
  const entry = findServiceByCookie(catalog, name);
  for (const category of config.categories) {
    // A listed cookie is the config's; the catalog entry that knows it is named too.
    if (names(category.cookies)) return { category: category.id, catalog: entry?.id, basis: 'config', listed: true };
    const service = category.services?.find((s) => names(s.cookies));
    if (service) return { category: category.id, service: service.id, catalog: service.catalog ?? entry?.id, basis: 'config', listed: true };
  }
  return entry ? placeByCatalog(config, entry, false) : { basis: 'unknown', listed: false };
}

function placeStorageKey(key: string, catalog: Catalog, config: SiteConfig): Placement {
  if (key.startsWith('consentkit')) return { category: 'necessary', basis: 'consentkit', listed: false };
  const entry = findServiceByStorageKey(catalog, key);
  return entry ? placeByCatalog(config, entry, false) : { basis: 'unknown', listed: false };
}

function placeRequest(url: string, config: SiteConfig, catalog: Catalog): Placement {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { basis: 'unknown', listed: false };
  }
  const withoutQuery = parsed.origin + parsed.pathname;
  if (OWN_FILE.test(parsed.pathname) || withoutQuery == config.reportUrl?.split('?')[0])
    return { category: 'necessary', basis: 'consentkit', listed: false };
  const entry = findServiceByUrl(catalog, parsed);
  const inConfig = findConfigService(config, (service) => (service.urls ?? []).some((pattern) => matchesUrlPattern(pattern, parsed)));
  if (inConfig) return { category: inConfig.category.id, service: inConfig.service.id, catalog: inConfig.service.catalog ?? entry?.id, basis: 'config', listed: false };
  return entry ? placeByCatalog(config, entry, false) : { basis: 'unknown', listed: false };
}

/** Where `item` belongs, by the site's config first, then the catalog. */
export function place(item: Item, config: SiteConfig, catalog: Catalog): Placement {
  switch (item.kind) {
    case 'cookie':
      return placeCookie(item.name, config, catalog);
    case 'localStorage':
    case 'sessionStorage':
      return placeStorageKey(item.name, catalog, config);
    case 'request':
      return placeRequest(item.url ?? item.name, config, catalog);
  }
}

/**
 * Whether an item so placed may be there in `state`: consentkit's own, a
 * required category, a service the catalog calls necessary, or a category or
 * service granted in `state`. Anything unknown may not.
 */
export function isPermitted(placement: Placement, config: SiteConfig, state: GrantState): boolean {
  if (placement.basis == 'consentkit') return true;
  const { category, service } = placement;
  if (category == null) return false;
  const configured = config.categories.find((c) => c.id == category);
  if (configured?.required) return true;
  if (placement.basis == 'catalog') return category == 'necessary' || state.categories[category] === true;
  if (service != null && service in state.services) return state.services[service] === true;
  return state.categories[category] === true;
}

/**
 * Whether one of the owner's `--allow` patterns accepts the item: a cookie or
 * storage name (a trailing `*` matches any suffix) or, for requests, a URL
 * pattern (host, optionally followed by a path prefix).
 */
export function isAllowed(item: Item, patterns: readonly string[]): boolean {
  if (item.kind != 'request') return patterns.some((pattern) => cookieMatches(pattern, item.name));
  let url: URL;
  try {
    url = new URL(item.url ?? item.name);
  } catch {
    return false;
  }
  return patterns.some((pattern) => matchesUrlPattern(pattern, url));
}

/**
 * The registrable domain ("eTLD+1") of a host by the Public Suffix List, or null when it has
 * none (an IP address, a single label, a public suffix itself): tldts' `getDomain`.
 */
export type RegistrableDomain = (host: string) => string | null;

/**
 * The site a host belongs to: an IP address or single label as it is, else its registrable
 * domain (`www.shop.co.uk` → `shop.co.uk`, `me.github.io` → `me.github.io`), or the host itself
 * when it is a public suffix.
 */
export function siteOf(host: string, registrableDomain: RegistrableDomain): string {
  if (/^[\d.]+$/.test(host) || host.includes(':') || !host.includes('.')) return host;
  return registrableDomain(host) ?? host;
}

/** Whether a request to `url` goes to another site than the page at `pageUrl`. */
export function isOtherSite(url: string, pageUrl: string, registrableDomain: RegistrableDomain): boolean {
  try {
    const target = new URL(url);
    if (!/^(https?|wss?):$/.test(target.protocol)) return false;
    return siteOf(target.hostname, registrableDomain) != siteOf(new URL(pageUrl).hostname, registrableDomain);
  } catch {
    return false;
  }
}
