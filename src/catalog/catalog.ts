/**
 * The service catalog (`catalog/services.json`): what common third-party
 * services load, call and store, for the tools that help a site owner write a
 * config (the configure page, audit mode, `consentkit scan`). The gate never
 * loads it: a tool expands an entry into the config with `expandService`, so a
 * page carries only the patterns of the services its site uses.
 */
import type { CookieInfo, ServiceConfig } from '../gate/core/config.js';
import { cookieMatches } from '../gate/core/cookie-jar.js';
import { matchesUrlPattern } from '../gate/blocker/url-pattern.js';

/** The kinds of URL a catalog entry lists (all in the syntax of `url-pattern.ts`). */
export type UrlKind = 'scripts' | 'iframes' | 'images' | 'stylesheets' | 'requests';
export const URL_KINDS: readonly UrlKind[] = ['scripts', 'iframes', 'images', 'stylesheets', 'requests'];

/** A key a service keeps in web storage. */
export interface StorageInfo {
  /** Key; a trailing `*` matches any suffix. */
  key: string;
  type: 'localStorage' | 'sessionStorage' | 'indexedDB';
  purpose?: string;
  duration?: string;
}

/** One service of the catalog. */
export interface CatalogService {
  /** Unique id, also the id a config service gets when expanded (`google-analytics`). */
  id: string;
  name: string;
  provider: string;
  /** The category a site usually puts it in. */
  category: 'necessary' | 'functional' | 'analytics' | 'advertising';
  description: string;
  privacyPolicy: string;
  /** The provider's pages that were read and confirm the facts not in `unconfirmed`. */
  sources: string[];
  /** The day the entry was last reviewed against those pages (YYYY-MM-DD). */
  checked: string;
  /** Facts no source confirmed, by path (`privacyPolicy`, `urls.scripts`, `cookies._ga.duration`); kept, for a site owner to check. */
  unconfirmed?: string[];
  urls: Partial<Record<UrlKind, string[]>>;
  cookies: CookieInfo[];
  storage: StorageInfo[];
}

export interface Catalog {
  version: number;
  services: CatalogService[];
}

/** Every URL pattern of an entry, of all kinds, each once. */
export const urlPatternsOf = (service: CatalogService): string[] => [...new Set(URL_KINDS.flatMap((kind) => service.urls[kind] ?? []))];

/** The entry whose patterns name `url` (of `kind`, or of any kind), if any. */
export function findServiceByUrl(catalog: Catalog, url: string | URL, kind?: UrlKind): CatalogService | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return catalog.services.find((s) => (kind ? (s.urls[kind] ?? []) : urlPatternsOf(s)).some((p) => matchesUrlPattern(p, parsed)));
}

/** The entry that lists a cookie called `name`, if any. */
export const findServiceByCookie = (catalog: Catalog, name: string): CatalogService | undefined =>
  catalog.services.find((s) => s.cookies.some((c) => cookieMatches(c.name, name)));

/** The entry that lists a storage key `key`, if any. */
export const findServiceByStorageKey = (catalog: Catalog, key: string): CatalogService | undefined =>
  catalog.services.find((s) => s.storage.some((k) => cookieMatches(k.key, key)));

/**
 * A catalog entry as a config service: its id, label, description, cookies
 * (with the provider) and every URL pattern, so the gate blocks it unmarked.
 */
export function expandService(service: CatalogService): ServiceConfig {
  return {
    id: service.id,
    catalog: service.id,
    label: service.name,
    description: service.description,
    cookies: service.cookies.map((c) => ({ provider: service.provider, ...c })),
    urls: urlPatternsOf(service),
  };
}
