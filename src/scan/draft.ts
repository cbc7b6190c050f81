/**
 * A first config from what a scan saw (`--config-draft`): the site's
 * categories, every catalog service found (expanded with `expandService`), and
 * the cookies found added to the tables of the services they belong to.
 * Whatever nothing names is returned apart, for the owner to place, so the
 * draft itself stays valid against the config schema.
 */
import { expandService, type Catalog } from '../catalog/catalog.js';
import type { CategoryConfig, ConsentConfig, CookieInfo, ServiceConfig } from '../gate/core/config.js';
import { cookieMatches } from '../gate/core/cookie-jar.js';
import type { ScanReport } from './scan.js';
import type { Phase, Sighting } from './scan-page.js';

/** Something the scan saw that neither the config nor the catalog names. */
export interface UnplacedItem {
  kind: Sighting['kind'];
  /** Cookie name, storage key, or the host a request went to. */
  name: string;
  domain: string;
  /** How long the cookie lasts, when it is one. */
  duration?: string;
  pages: string[];
  phases: Phase[];
}

export interface ConfigDraft {
  config: ConsentConfig;
  unplaced: UnplacedItem[];
}

const DAY = 86_400;

/** A cookie's lifetime in words, from its expiry (seconds since 1970, -1 for a session cookie). */
export function describeDuration(expires: number | undefined, now = Date.now() / 1000): string | undefined {
  if (expires == null) return undefined;
  if (expires < 0) return 'session';
  const seconds = Math.max(0, expires - now);
  const plural = (count: number, unit: string) => `${count} ${unit}${count == 1 ? '' : 's'}`;
  const hours = Math.round(seconds / 3600);
  if (hours < 24) return plural(Math.max(1, hours), 'hour');
  const days = Math.round(seconds / DAY);
  if (days < 60) return plural(days, 'day');
  const months = Math.round(days / 30.44);
  return months < 24 ? plural(months, 'month') : plural(Math.round(days / 365.25), 'year');
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Drafts a config from `report` (see the module comment). */
export function draftConfig(report: ScanReport, catalog: Catalog): ConfigDraft {
  const scanned = report.pages.find((page) => page.config);
  const source = scanned?.source;
  const config: ConsentConfig = typeof source == 'object' && source && !Array.isArray(source) ? copy(source as ConsentConfig) : {};
  const categories: CategoryConfig[] = copy(scanned?.config?.categories ?? []);
  config.categories = categories;

  const categoryNamed = (id: string): CategoryConfig => {
    let category = categories.find((c) => c.id == id);
    if (!category) {
      category = id == 'necessary' ? { id, required: true } : { id };
      categories.push(category);
    }
    return category;
  };
  const serviceNamed = (id: string): ServiceConfig | undefined => categories.flatMap((c) => c.services ?? []).find((s) => s.id == id);
  /** Adds a cookie to a table unless a pattern there already names it; fills in a missing duration. */
  const addCookie = (table: CookieInfo[], cookie: CookieInfo, name: string, duration: string | undefined) => {
    const listed = table.find((c) => cookieMatches(c.name, name));
    if (listed) listed.duration ??= duration;
    else table.push({ ...cookie, ...(cookie.duration || !duration ? {} : { duration }) });
  };

  const unplaced = new Map<string, UnplacedItem>();
  for (const page of report.pages)
    for (const sighting of page.sightings) {
      if (sighting.basis == 'consentkit') continue;
      const duration = sighting.kind == 'cookie' ? describeDuration(sighting.expires) : undefined;
      if (sighting.basis == 'unknown' || !sighting.category) {
        const name = sighting.kind == 'request' ? sighting.domain : sighting.name;
        const key = `${sighting.kind} ${name}`;
        const item = unplaced.get(key) ?? { kind: sighting.kind, name, domain: sighting.domain, ...(duration ? { duration } : {}), pages: [], phases: [] };
        if (!item.pages.includes(page.url)) item.pages.push(page.url);
        if (!item.phases.includes(sighting.phase)) item.phases.push(sighting.phase);
        unplaced.set(key, item);
        continue;
      }
      const entry = sighting.catalog ? catalog.services.find((s) => s.id == sighting.catalog) : undefined;
      if (sighting.basis == 'catalog' && entry && !serviceNamed(entry.id)) (categoryNamed(entry.category).services ??= []).push(expandService(entry));
      if (sighting.kind != 'cookie') continue;
      const service = sighting.service ? serviceNamed(sighting.service) : undefined;
      const table = service ? (service.cookies ??= []) : (categoryNamed(sighting.category).cookies ??= []);
      const known = entry?.cookies.find((c) => cookieMatches(c.name, sighting.name));
      addCookie(table, known ? { provider: entry?.provider, ...known } : { name: sighting.name }, sighting.name, duration);
    }
  return { config, unplaced: [...unplaced.values()] };
}
