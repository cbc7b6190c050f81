/**
 * What this page view is: the visitor's region, the consent mode that region
 * gets, and the Global Privacy Control signal. Computed before the core starts
 * because the undecided state depends on all three.
 */
import type { ConsentMode } from '../core/choice.js';
import { REGION, isObject, normRegion, type ResolvedConfig } from '../core/config.js';
import type { KitEnvironment } from '../core/consent-kit.js';

// Defined with the config, which resolves `region` and `regions`.
export { REGION, isObject, normRegion };
type Json = Record<string, unknown>;

/**
 * The mode for a region: the most specific entry wins (`US-CA`, then `US`),
 * then `default`; with no match, or no region known, opt-in (the strict one).
 */
export const regionMode = (region: string | undefined, regions: Partial<Record<string, ConsentMode>>): ConsentMode =>
  (region ? (regions[region] ?? regions[region.split('-')[0]]) : undefined) ?? regions.default ?? 'opt-in';

/**
 * Validates `region` and `regions` of the config as given, naming each bad
 * field. Run by the diagnostics part; the gate reads the resolved
 * `config.region` and `config.regions` (empty on any error: opt-in everywhere).
 */
export function regionConfig(raw: unknown): { region?: string; regions: Record<string, ConsentMode>; errors: string[] } {
  const errors: string[] = [];
  // A config that is not an object has no such properties (a primitive reads undefined).
  const c = (raw ?? {}) as Json;
  const region = normRegion(c.region);
  if (c.region !== undefined && !region) errors.push('region must be an ISO 3166 code ("DE", "US-CA")');
  const regions: Record<string, ConsentMode> = {};
  if (c.regions !== undefined) {
    if (!isObject(c.regions)) errors.push('regions must be an object');
    else
      for (const [k, v] of Object.entries(c.regions)) {
        const key = k == 'default' ? k : normRegion(k);
        if (key && (v === 'opt-in' || v === 'opt-out')) regions[key] = v;
        else errors.push(`regions.${k} must be "opt-in" or "opt-out" (keys: ISO 3166 codes, "default")`);
      }
  }
  return { region, regions: errors.length ? {} : regions, errors };
}

/** The region the server wrote into the page: `<meta name="consentkit-region" content="US-CA">`. */
const pageRegion = (): string | undefined =>
  normRegion(document.querySelector<HTMLMetaElement>('meta[name="consentkit-region"]')?.content);

/**
 * The environment for `createConsentKit`: region from the config, else the
 * page's meta tag; mode from `regions`; GPC from the browser. Anything in
 * `given` (init options, tests) wins over detection.
 */
export function detectEnvironment(config: Pick<ResolvedConfig, 'region' | 'regions'>, given: KitEnvironment = {}): KitEnvironment {
  const where = given.region ?? config.region ?? pageRegion();
  return {
    ...given,
    region: where,
    mode: given.mode ?? regionMode(where, config.regions),
    gpc: given.gpc ?? (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true,
  };
}
