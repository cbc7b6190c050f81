/**
 * The site owner's configuration: its types, defaults and resolution.
 *
 * The config must be JSON-serialisable so it can sit in a page as
 * `<script type="application/json" id="consentkit-config">`. `resolveConfig`
 * turns it, once, into the frozen `ResolvedConfig` every other module reads.
 * It checks every field against the shape table (`config-shape.ts`) but
 * carries no messages: those are in `validate-config.ts`, which only the
 * diagnostics part (loaded when the check finds a problem) and ESM callers of
 * `validateConfig` load.
 */
import type { ConsentMode } from './choice.js';
import { CONFIG_SHAPE, REGION, SIGNALS, isObject, readShape, type Path, type Problem, type Rule, type Shape } from './config-shape.js';
import { UI_DEFAULTS, type UiOptions } from './ui-options.js';

// The patterns live with the shape table; the integrations and the diagnostics part read them from here too.
export { ID, IDENT, LANGUAGE, MAX_EXPIRY_DAYS, REGION, REVISION, SCRIPT_URL, URL_PATTERN, isObject } from './config-shape.js';
export type { Path, Problem, Rule, Shape };
export type { UiOptions };

/** A cookie a service or category sets, shown to visitors and deleted on withdrawal. */
export interface CookieInfo {
  /** Cookie name; a trailing `*` matches any suffix (`_ga_*`). */
  name: string;
  /** Who sets it (first party or the third party's name). */
  provider?: string;
  /** What it is for, in plain words. */
  purpose?: string;
  /** How long it lasts, as shown to visitors (`13 months`, `session`). */
  duration?: string;
}

/** A named tool inside a category (`ga4`, `youtube`), consentable on its own. */
export interface ServiceConfig {
  /** Unique across the whole config; used in `data-service` and the API. */
  id: string;
  /** Name shown to visitors. */
  label?: string;
  /** What it does, shown to visitors. */
  description?: string;
  /** Cookies it sets. */
  cookies?: CookieInfo[];
  /**
   * URL patterns of what it loads or calls (see `blocker/url-pattern.ts`): matching
   * scripts, iframes, images, stylesheets and requests are blocked until it is granted,
   * marked or not.
   */
  urls?: string[];
  /** The service catalog entry it was expanded from (`google-analytics`). */
  catalog?: string;
}

/** A purpose visitors grant or refuse as a whole. */
export interface CategoryConfig {
  /** Unique id used in `data-category` and the API (`analytics`). */
  id: string;
  /** Heading shown to visitors; defaults to the translation for built-in ids. */
  label?: string;
  /** Explanation shown to visitors; defaults to the translation for built-in ids. */
  description?: string;
  /** Always granted and never switchable (the `necessary` category). */
  required?: boolean;
  /** Treated as "sale or sharing" of personal data: Global Privacy Control refuses it. */
  saleOrShare?: boolean;
  /** Services inside this category. */
  services?: ServiceConfig[];
  /** Cookies the category sets outside any listed service. */
  cookies?: CookieInfo[];
}

/** Where and how the visitor's choice is stored. */
export interface CookieOptions {
  /** Cookie name. */
  name: string;
  /** Parent domain to share the choice with subdomains; host-only when absent. */
  domain?: string;
  /** Cookie path. */
  path: string;
  /** SameSite attribute. */
  sameSite: 'Lax' | 'Strict' | 'None';
  /** Secure attribute; defaults to true on https pages. */
  secure?: boolean;
  /** Days the choice is kept before the visitor is asked again (1–395). */
  expiryDays: number;
}

/** Where consent records are sent (see docs/consent-records.md). */
export interface ReportOptions {
  /** Endpoint URL (absolute or relative to the page). */
  url: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Fetch credentials mode. */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Milliseconds to wait for the endpoint before retrying later (default 10000). */
  timeout?: number;
}

/** The configuration a site owner writes. Every field is optional. */
export interface ConsentConfig {
  /** Policy revision; raising it asks every visitor again. */
  revision?: string | number;
  /** Language of the texts (`de`); defaults to `<html lang>`, then the browser. */
  language?: string;
  /** Categories in display order; defaults to necessary, functional, analytics, advertising. */
  categories?: CategoryConfig[];
  /** Consent cookie options. */
  cookie?: Partial<CookieOptions>;
  /** Consent-record endpoint, or `false` to send nothing. */
  report?: ReportOptions | string | false;
  /** Reload the page once when a granted category is withdrawn, so running code stops. */
  reloadOnWithdraw?: boolean;
  /** Honour Global Privacy Control by refusing sale/share categories. */
  gpc?: boolean;
  /** Options of the banner and dialog (layout, theme, …). */
  ui?: Record<string, unknown>;
  /** Per-language text overrides, `{ "en": { "banner.title": "…" } }`. */
  texts?: Record<string, Record<string, string>>;
  /** Options read by integrations (Google Consent Mode, regions, …). */
  googleConsentMode?: Record<string, unknown> | boolean;
  /** Audit mode: report what appears before consent (also `?consentkit-audit` in the page URL). */
  audit?: boolean;
}

export { SIGNALS };
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

/** Consent Mode options when `googleConsentMode` is `true`. */
export const consentModeDefaults = (): ConsentModeOptions => ({
  waitForUpdate: 500,
  adsDataRedaction: true,
  urlPassthrough: false,
  regions: [],
  mapping: { ...DEFAULT_MAPPING },
  services: {},
});

/** What the check made while resolving found; the diagnostics part names each problem. */
export interface ConfigStatus {
  /**
   * Every field the core reads is well-formed. When false the kit fails closed:
   * everything optional stays refused and no choice is stored.
   */
  usable: boolean;
  /** `googleConsentMode` is well-formed. When false every signal keeps its denied default. */
  consentModeUsable: boolean;
  /** Some field is wrong or unknown (a likely typo): the diagnostics part is loaded to name it. */
  needsDiagnostics: boolean;
}

/**
 * The config every module reads: checked once, every default filled in, frozen.
 * Fields that fall back on a problem fall back to the strict choice (opt-in,
 * nothing allowed, the default).
 */
export interface ResolvedConfig {
  revision: string;
  language?: string;
  categories: CategoryConfig[];
  cookie: CookieOptions;
  report: ReportOptions | false;
  reloadOnWithdraw: boolean;
  gpc: boolean;
  /** The banner and dialog options. */
  ui: UiOptions;
  texts: Record<string, Record<string, string>>;
  /** Google Consent Mode options, or false when it is off. */
  googleConsentMode: ConsentModeOptions | false;
  /** Region this page view is served for, when the config names it (`DE`, `US-CA`). */
  region?: string;
  /** Consent mode per region code (and `default`); empty when invalid (opt-in everywhere). */
  regions: Record<string, ConsentMode>;
  /** Name of the global array tag managers read. */
  dataLayer: string;
  /** Where marked scripts may load from (as given); undefined allows any, `[]` none. */
  trustedScriptUrls?: string[];
  audit: boolean;
  /** What the check found. */
  status: ConfigStatus;
  /** The config as given, for hashing into consent records (and for the diagnostics part). */
  source: unknown;
}

export const DEFAULT_CATEGORY_IDS = ['necessary', 'functional', 'analytics', 'advertising'];

/** `us-ca` → `US-CA`; anything that is not a region code → undefined. */
export const normRegion = (v: unknown): string | undefined => {
  const r = typeof v == 'string' ? v.trim().toUpperCase() : '';
  return REGION.test(r) ? r : undefined;
};

export const isSignal = (s: unknown): s is Signal => SIGNALS.includes(s as Signal);

/** Whether `v` is a whole number from `min` to `max`. */
export const isWhole = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * A `googleConsentMode.regions` entry as Consent Mode takes it, or undefined
 * when it is not `{ region: [ISO 3166-2 codes], <signal>: "granted"/"denied" }`.
 */
export function consentModeRegion(e: unknown): (Signals & { region: string[] }) | undefined {
  const entry = { ...(e as object) } as Record<string, unknown>;
  const codes = entry.region;
  delete entry.region;
  if (
    Array.isArray(codes) &&
    codes.length &&
    codes.every((c) => typeof c == 'string' && REGION.test(c)) &&
    Object.entries(entry).every(([k, v]) => isSignal(k) && (v == 'granted' || v == 'denied'))
  )
    return { ...(entry as Signals), region: [...(codes as string[])] };
}

/** Configs this module made, so resolving one again returns it as it is. */
const resolvedConfigs = new WeakSet();

/** Freezes `value` and everything reachable from it. */
function deepFreeze<T>(value: T): T {
  if (typeof value == 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Fields that fall back on their own, so a problem in them leaves the config usable. */
const FALLS_BACK = ['region', 'regions', 'dataLayer', 'trustedScriptUrls'];

/**
 * What a problem at `path` costs: `usable` (the kit fails closed),
 * `consentModeUsable` (every Consent Mode signal keeps its denied default), or
 * nothing when the field falls back on its own (an option of `ui`, the
 * regions, `dataLayer`, `trustedScriptUrls`) or is an unknown top-level field
 * (a likely typo: a warning).
 */
export function problemCost(path: Path, broken: Shape | Rule): 'usable' | 'consentModeUsable' | undefined {
  const [field] = path;
  const inner = path.length > 1;
  if (FALLS_BACK.includes(field as string) || (field == 'ui' && inner) || (broken == 'unknown field' && !inner)) return;
  return field == 'googleConsentMode' && inner ? 'consentModeUsable' : 'usable';
}

/** The config as the shape table keeps it: only what fits. */
interface Given extends Omit<ConsentConfig, 'ui' | 'googleConsentMode'> {
  ui?: Partial<UiOptions>;
  googleConsentMode?: boolean | Partial<ConsentModeOptions>;
  dataLayer?: string;
  region?: string;
  regions?: Record<string, ConsentMode>;
  trustedScriptUrls?: string[];
}

/**
 * Turns the config as given into the resolved config, the only form the rest
 * of the SDK reads. Never throws. Reads every field through the shape table
 * (`CONFIG_SHAPE`) and checks what it cannot express (unique ids, region
 * codes, the ids Consent Mode maps), keeping no message: `onProblem` hears of
 * each problem (the diagnostics part names it) and `status` says what they
 * cost. A field with a problem falls back to its default, the strict choice.
 */
export function resolveConfig(input: unknown, onProblem?: Problem): ResolvedConfig {
  if (isObject(input) && resolvedConfigs.has(input)) return input as unknown as ResolvedConfig;
  const status: ConfigStatus = { usable: true, consentModeUsable: true, needsDiagnostics: false };
  /** Top-level fields with a problem. */
  const failed = new Set<unknown>();
  const problem: Problem = (path, broken, value) => {
    onProblem?.(path, broken, value);
    const cost = problemCost(path, broken);
    if (cost) status[cost] = false;
    status.needsDiagnostics = true;
    failed.add(path[0]);
  };
  // No config is an empty one; anything else must be an object.
  const given = (readShape(CONFIG_SHAPE, input === undefined ? {} : input, [], problem) ?? {}) as Given;

  // Category ids are unique, service ids too, and no service has a category's id.
  const categories: CategoryConfig[] = given.categories ?? DEFAULT_CATEGORY_IDS.map((id) => ({ id }));
  if (!given.categories) categories[0].required = true;
  const categoryIds = new Set<string>();
  const serviceIds = new Set<string>();
  const unique = (ids: Set<string>, id: string, path: Path) => {
    if (ids.has(id)) problem(path, 'used twice', id);
    ids.add(id);
  };
  categories.forEach((category, i) => {
    unique(categoryIds, category.id, ['categories', i, 'id']);
  });
  categories.forEach((category, i) => {
    category.services?.forEach((service, j) => {
      const path = ['categories', i, 'services', j, 'id'];
      if (categoryIds.has(service.id)) problem(path, 'also a category id', service.id);
      unique(serviceIds, service.id, path);
    });
    // Advertising is taken for sale or sharing unless the config says otherwise.
    if (category.id == 'advertising') category.saleOrShare ??= true;
  });

  // region and regions: any problem means opt-in everywhere.
  const region = normRegion(given.region);
  if (given.region !== undefined && !region) problem(['region'], 'region code', given.region);
  const regions: Record<string, ConsentMode> = {};
  for (const [key, mode] of Object.entries(given.regions ?? {})) {
    const code = key == 'default' ? key : normRegion(key);
    if (code) regions[code] = mode;
    else problem(['regions', key], 'region code', key);
  }

  // googleConsentMode: `true` is every default; its mapping names categories and services of this config.
  const gcm = given.googleConsentMode;
  let googleConsentMode: ConsentModeOptions | false = false;
  if (gcm) {
    const { mapping = {}, services = {}, ...options } = gcm === true ? {} : gcm;
    const o: ConsentModeOptions = { ...consentModeDefaults(), ...options };
    const known = { mapping: categoryIds, services: serviceIds };
    for (const [key, table] of [['mapping', mapping], ['services', services]] as const)
      for (const [id, signals] of Object.entries(table))
        if (known[key].has(id)) o[key][id] = signals;
        else problem(['googleConsentMode', key, id], 'unknown id', id);
    googleConsentMode = o;
  }

  const config: ResolvedConfig = {
    revision: `${given.revision ?? 1}`,
    categories,
    cookie: { name: 'consentkit', path: '/', sameSite: 'Lax', expiryDays: 182, ...given.cookie },
    report: typeof given.report == 'string' ? { url: given.report } : (given.report ?? false),
    reloadOnWithdraw: given.reloadOnWithdraw ?? true,
    gpc: given.gpc ?? true,
    ui: { ...UI_DEFAULTS, ...given.ui },
    texts: given.texts ?? {},
    googleConsentMode,
    regions: failed.has('region') || failed.has('regions') ? {} : regions,
    // dataLayer falls back rather than switching off, so Google tags still find the denied default.
    dataLayer: given.dataLayer ?? 'dataLayer',
    audit: given.audit ?? false,
    status,
    source: input,
  };
  if (given.language) config.language = given.language;
  if (region) config.region = region;
  // An invalid list allows no marked script at all.
  const trustedScriptUrls = failed.has('trustedScriptUrls') ? [] : given.trustedScriptUrls;
  if (trustedScriptUrls) config.trustedScriptUrls = trustedScriptUrls;
  // `source` is the site's own object: left as it is. Everything else was copied here.
  for (const [key, value] of Object.entries(config)) if (key != 'source') deepFreeze(value);
  resolvedConfigs.add(Object.freeze(config));
  return config;
}

/** Ids of the categories a visitor may switch (everything not required). */
export const optionalCategories = (config: ResolvedConfig): CategoryConfig[] =>
  config.categories.filter((c) => !c.required);

/** Every service with the id of the category that holds it. */
export const allServices = (config: ResolvedConfig): (ServiceConfig & { category: string })[] =>
  config.categories.flatMap((c) => (c.services ?? []).map((s) => ({ ...s, category: c.id })));
