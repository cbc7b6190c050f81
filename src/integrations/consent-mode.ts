/**
 * Google Consent Mode v2: the `default` command before any Google tag can
 * run, and an `update` mapped from the visitor's choice on every page view
 * and every change. Commands go onto the dataLayer as gtag.js expects them.
 */
import type { ConsentState } from '../core/choice.js';
import type { ResolvedConfig } from '../core/config.js';
import { REGION, isObject } from './environment.js';

/** The seven Consent Mode v2 signals. */
export const SIGNALS = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;
export type Signal = (typeof SIGNALS)[number];
export type SignalValue = 'granted' | 'denied';
export type Signals = Partial<Record<Signal, SignalValue>>;

/** Which signals each category drives unless the config says otherwise. */
export const DEFAULT_MAPPING: Record<string, Signal[]> = {
  analytics: ['analytics_storage'],
  advertising: ['ad_storage', 'ad_user_data', 'ad_personalization'],
  functional: ['functionality_storage', 'personalization_storage'],
};

/** `googleConsentMode` with defaults filled in. */
export interface ConsentModeOptions {
  /** Milliseconds Google tags wait for an update before using the default. */
  waitForUpdate: number;
  /** Redact ad-click ids while ad_storage is denied. */
  adsDataRedaction: boolean;
  /** Pass click ids through URLs while storage is denied. */
  urlPassthrough: boolean;
  /** Defaults for groups of regions (ISO 3166-2 codes), before the global default. */
  regions: (Signals & { region: string[] })[];
  /** Category id → signals it drives. */
  mapping: Record<string, Signal[]>;
  /** Service id → signals it drives. */
  services: Record<string, Signal[]>;
}

const isSignal = (s: unknown): s is Signal => SIGNALS.includes(s as Signal);

/**
 * Validates `googleConsentMode` against the config's categories and services.
 * Never throws; each error names its path.
 */
export function consentModeOptions(config: ResolvedConfig): { options: ConsentModeOptions; errors: string[] } {
  const errors: string[] = [];
  const fail = (path: string, what: string) => errors.push(`googleConsentMode.${path} must be ${what}`);
  const g = config.googleConsentMode || {};
  const o: ConsentModeOptions = {
    waitForUpdate: 500,
    adsDataRedaction: true,
    urlPassthrough: false,
    regions: [],
    mapping: { ...DEFAULT_MAPPING },
    services: {},
  };
  const w = g.waitForUpdate;
  // Number.isInteger is false for anything but a number.
  if (Number.isInteger(w) && (w as number) >= 0 && (w as number) <= 6e4) o.waitForUpdate = w as number;
  else if (w !== undefined) fail('waitForUpdate', 'whole milliseconds from 0 to 60000');
  for (const k of ['adsDataRedaction', 'urlPassthrough'] as const)
    if (typeof g[k] == 'boolean') o[k] = g[k];
    else if (g[k] !== undefined) fail(k, 'true or false');
  const known = {
    mapping: config.categories.map((c) => c.id),
    services: config.categories.flatMap((c) => (c.services ?? []).map((s) => s.id)),
  };
  for (const key of ['mapping', 'services'] as const) {
    const v = g[key];
    if (isObject(v))
      for (const [id, list] of Object.entries(v))
        if (known[key].includes(id) && Array.isArray(list) && list.every(isSignal)) o[key][id] = list;
        else fail(`${key}.${id}`, `a known ${key == 'mapping' ? 'category' : 'service'} id with an array of signal names`);
    else if (v !== undefined) fail(key, 'an object');
  }
  const r = g.regions;
  if (Array.isArray(r))
    r.forEach((e: unknown, i) => {
      const entry = { ...(e as object) } as Record<string, unknown>;
      const codes = entry.region;
      delete entry.region;
      if (
        Array.isArray(codes) &&
        codes.length &&
        codes.every((c) => typeof c == 'string' && REGION.test(c)) &&
        Object.entries(entry).every(([k, v]) => isSignal(k) && (v == 'granted' || v == 'denied'))
      )
        o.regions.push({ ...(entry as Signals), region: codes as string[] });
      else fail(`regions[${i}]`, '{ region: [ISO 3166-2 codes], <signal>: "granted"/"denied" }');
    });
  else if (r !== undefined) fail('regions', 'an array');
  return { options: o, errors };
}

/**
 * The `gtag()` argument lists to run first: per-region defaults, the global
 * default, then the `set` commands (which must precede any `config`).
 */
export function defaultCommands(o: ConsentModeOptions): unknown[][] {
  // Every signal denied except security_storage, which the necessary category grants.
  const denied: Signals = {};
  for (const k of SIGNALS) denied[k] = k == 'security_storage' ? 'granted' : 'denied';
  const wait = { wait_for_update: o.waitForUpdate };
  return [
    // The global default is the one without a region (`{}`), after the regions' own.
    ...[...o.regions, {}].map((r) => ['consent', 'default', { ...denied, ...r, ...wait }]),
    ['set', 'ads_data_redaction', o.adsDataRedaction],
    ['set', 'url_passthrough', o.urlPassthrough],
  ];
}

/**
 * The signals a state grants. A signal is granted only when every category
 * and service mapped to it is granted (a refused service keeps it denied).
 * Signals nothing maps to are left out, so an update never touches them.
 */
export function consentSignals(state: ConsentState, o: ConsentModeOptions): Signals {
  const out: Signals = {};
  const apply = (table: Record<string, Signal[]>, states: Record<string, boolean>) => {
    for (const [id, signals] of Object.entries(table))
      if (id in states)
        for (const s of signals) out[s] = states[id] && out[s] != 'denied' ? 'granted' : 'denied';
  };
  apply(o.mapping, state.categories);
  apply(o.services, state.services);
  return out;
}
