/**
 * Google Consent Mode v2: the `default` command before any Google tag can
 * run, and an `update` mapped from the visitor's choice on every page view
 * and every change. Commands go onto the dataLayer as gtag.js expects them.
 */
import type { ConsentState } from '../core/choice.js';
import {
  DEFAULT_MAPPING,
  SIGNALS,
  consentModeDefaults,
  consentModeRegion,
  isObject,
  isSignal,
  isWhole,
  type ConsentModeOptions,
  type ResolvedConfig,
  type Signal,
  type Signals,
} from '../core/config.js';

// The signals, the default mapping and the options' type live with the config, which resolves them.
export { DEFAULT_MAPPING, SIGNALS };
export type { ConsentModeOptions, Signal, Signals };
export type { SignalValue } from '../core/config.js';

/**
 * The resolved `googleConsentMode` options (defaults when it is off) and a
 * message for each problem in it, each naming its path. Run by the diagnostics
 * part: the gate reads `config.googleConsentMode` and
 * `config.status.consentModeUsable` instead. Never throws.
 */
export function consentModeOptions(config: ResolvedConfig): { options: ConsentModeOptions; errors: string[] } {
  const errors: string[] = [];
  const fail = (path: string, what: string) => errors.push(`googleConsentMode.${path} must be ${what}`);
  const given = isObject(config.source) ? config.source.googleConsentMode : undefined;
  const g = isObject(given) ? given : {};
  const w = g.waitForUpdate;
  if (w !== undefined && !isWhole(w, 0, 6e4)) fail('waitForUpdate', 'whole milliseconds from 0 to 60000');
  for (const k of ['adsDataRedaction', 'urlPassthrough'] as const) if (g[k] !== undefined && typeof g[k] != 'boolean') fail(k, 'true or false');
  const known = {
    mapping: config.categories.map((c) => c.id),
    services: config.categories.flatMap((c) => (c.services ?? []).map((s) => s.id)),
  };
  for (const key of ['mapping', 'services'] as const) {
    const v = g[key];
    if (isObject(v)) {
      for (const [id, list] of Object.entries(v))
        if (!(known[key].includes(id) && Array.isArray(list) && list.every(isSignal)))
          fail(`${key}.${id}`, `a known ${key == 'mapping' ? 'category' : 'service'} id with an array of signal names`);
    } else if (v !== undefined) fail(key, 'an object');
  }
  const r = g.regions;
  if (Array.isArray(r))
    r.forEach((e: unknown, i) => {
      if (!consentModeRegion(e)) fail(`regions[${i}]`, '{ region: [ISO 3166-2 codes], <signal>: "granted"/"denied" }');
    });
  else if (r !== undefined) fail('regions', 'an array');
  return { options: config.googleConsentMode || consentModeDefaults(), errors };
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
