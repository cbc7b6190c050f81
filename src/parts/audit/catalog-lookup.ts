/**
 * Audit mode's use of the service catalog: fetch it from beside consentkit's
 * files (`dist/catalog/services.json`, never loaded by the gate) and name the
 * entry a finding belongs to, with the config service that lists it.
 */
import { findServiceByCookie, findServiceByStorageKey, findServiceByUrl, type Catalog, type CatalogService } from '../../catalog/catalog.js';
import type { AuditKind } from './types.js';

/** Where the catalog is, relative to the folder consentkit was loaded from. */
export const CATALOG_PATH = 'catalog/services.json';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value == 'object' && value != null && !Array.isArray(value);

/** Whether `entry` has the fields the lookups read, so a damaged entry is skipped instead of throwing. */
const usable = (entry: unknown): entry is CatalogService =>
  isObject(entry) &&
  typeof entry.id == 'string' &&
  typeof entry.category == 'string' &&
  isObject(entry.urls) &&
  Object.values(entry.urls).every((patterns) => Array.isArray(patterns) && patterns.every((p) => typeof p == 'string')) &&
  Array.isArray(entry.cookies) &&
  entry.cookies.every((c) => isObject(c) && typeof c.name == 'string') &&
  Array.isArray(entry.storage) &&
  entry.storage.every((k) => isObject(k) && typeof k.key == 'string');

/** Fetches the catalog from `base`; rejects with a reason a site owner can act on. */
export async function fetchCatalog(base: string): Promise<Catalog> {
  const response = await fetch(new URL(CATALOG_PATH, base), { credentials: 'omit' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data: unknown = await response.json();
  if (!isObject(data) || !Array.isArray(data.services)) throw new Error('it is not a service catalog (no services list)');
  return { version: Number(data.version), services: data.services.filter(usable) };
}

/**
 * The entry that names what was found: the URL of a tag, request or worker, the
 * name of a cookie or storage key. Inline scripts have no URL and no entry.
 */
export function entryFor(catalog: Catalog, kind: AuditKind, name: string): CatalogService | undefined {
  if (kind == 'cookie') return findServiceByCookie(catalog, name);
  if (kind == 'storage') return findServiceByStorageKey(catalog, name);
  return findServiceByUrl(catalog, name);
}
