/**
 * The site owner's configuration: its types, defaults and resolution.
 *
 * The config must be JSON-serialisable so it can sit in a page as
 * `<script type="application/json" id="consentkit-config">`. `resolveConfig`
 * turns it, once, into the frozen `ResolvedConfig` every other module reads.
 * It checks every field's shape but carries no messages: those are in
 * `validate-config.ts`, which only the diagnostics part (loaded when the
 * check finds a problem) and ESM callers of `validateConfig` load.
 */
import type { ConsentMode } from './choice.js';
import { UI_DEFAULTS, setUiOption, type UiOptions } from './ui-options.js';

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

/** Top-level fields the SDK reads; any other one is reported as a likely typo. */
export const KNOWN_FIELDS = ['revision', 'language', 'categories', 'cookie', 'report', 'reloadOnWithdraw', 'gpc', 'ui', 'texts', 'googleConsentMode', 'dataLayer', 'region', 'regions', 'trustedScriptUrls', 'audit', '$schema'];

export const DEFAULT_CATEGORY_IDS = ['necessary', 'functional', 'analytics', 'advertising'];
export const MAX_EXPIRY_DAYS = 395;

// The patterns both the check here and the full validator (validate-config.ts) apply.
export const ID = /^[A-Za-z0-9_-]{1,40}$/;
export const REVISION = /^[A-Za-z0-9._-]{1,40}$/;
export const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** Patterns of `cookie.name`, `cookie.domain` and `cookie.path`, in that order. */
export const COOKIE_FIELDS = ['name', 'domain', 'path'];
export const COOKIE_PATTERNS = [/^[A-Za-z0-9_-]{1,64}$/, /^\.?[A-Za-z0-9.-]+$/, /^\/[^;\s]*$/];
export const SAME_SITE = ['Lax', 'Strict', 'None'] as const;
export const CREDENTIALS = ['omit', 'same-origin', 'include'] as const;
/** An ISO 3166-1 country or ISO 3166-2 subdivision code, upper case (`DE`, `US-CA`). */
export const REGION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
/** A `dataLayer` name: a JavaScript identifier. */
export const IDENT = /^[A-Za-z_$][\w$]*$/;
/** A `trustedScriptUrls` entry: an absolute http(s) URL or a root-relative path, optionally ending in `*` (prefix). */
export const SCRIPT_URL = /^(https?:\/\/[^/\s*?#]+)?\/[^\s*]*\*?$/;
/** A `services[].urls` entry (the syntax of `blocker/url-pattern.ts`): a host, optionally `*.` before it and a path after it; no scheme. */
export const URL_PATTERN = /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(\/\S*)?$/;

type Json = Record<string, unknown>;
/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Json => typeof v == 'object' && v !== null && !Array.isArray(v);

/** `us-ca` → `US-CA`; anything that is not a region code → undefined. */
export const normRegion = (v: unknown): string | undefined => {
  const r = typeof v == 'string' ? v.trim().toUpperCase() : '';
  return REGION.test(r) ? r : undefined;
};

export const isSignal = (s: unknown): s is Signal => SIGNALS.includes(s as Signal);

/** Whether `v` is a whole number from `min` to `max`. */
export const isWhole = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** An object whose values are all strings. */
export const isStringTable = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x == 'string');

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

/**
 * Turns the config as given into the resolved config, the only form the rest
 * of the SDK reads. Never throws. Checks the shape of every field but keeps no
 * message: when `status.needsDiagnostics` is set, the diagnostics part
 * (`validateConfig` and friends) names each problem, so the one-tag gate
 * carries no message text. Each problem falls back exactly as the full
 * validator documents; tests hold the two to the same verdict.
 */
export function resolveConfig(input: unknown): ResolvedConfig {
  if (isObject(input) && resolvedConfigs.has(input)) return input as unknown as ResolvedConfig;
  const status: ConfigStatus = { usable: true, consentModeUsable: true, needsDiagnostics: false };
  /** A field the core reads is wrong: fail closed. */
  const refuse = () => {
    status.usable = false;
  };
  /** Sets `o[k]` to `v` unless `v` is missing (or false). */
  const put = (o: object, k: string, v: unknown) => {
    if (v) (o as Json)[k] = v;
  };
  /** An object, or `dflt` when missing (or not an object, which is refused). */
  const objectOr = <T = Json>(v: unknown, dflt = {} as T): Json | T => {
    if (v === undefined) return dflt;
    if (isObject(v)) return v;
    refuse();
    return dflt;
  };
  const raw = objectOr(input);

  const optString = (v: unknown, re?: RegExp): string | undefined => {
    if (v === undefined || (typeof v == 'string' && v && (!re || re.test(v)))) return v;
    refuse();
  };
  /** Like `optString`, but missing is refused too (and gives ''). */
  const reqString = (v: unknown): string => optString(v ?? '') ?? '';
  /** Copies the optional strings `keys` of `from` into `to`, each checked against its pattern in `patterns`. */
  const strings = <T extends object>(from: Json, to: T, keys: string[], patterns: RegExp[] = []): T => {
    keys.forEach((k, i) => {
      put(to, k, optString(from[k], patterns[i]));
    });
    return to;
  };
  /** One of `allowed`, or undefined (refused unless missing). */
  const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): T | undefined => {
    if (v === undefined || allowed.includes(v as T)) return v as T | undefined;
    refuse();
  };
  /** A copy of an object of strings, or undefined (refused). */
  const stringTable = (v: unknown): Record<string, string> | undefined => {
    if (isStringTable(v)) return { ...v };
    refuse();
  };
  /** A whole number from 1 to `max`, or undefined (refused unless missing). */
  const whole = (v: unknown, max: number): number | undefined => {
    if (v === undefined || isWhole(v, 1, max)) return v;
    refuse();
  };
  const optBool = (v: unknown, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v != 'boolean') refuse();
    return v === true;
  };
  /** `fn` of every item of an array, each an object (else `{ [key]: '' }`, refused); undefined when missing. */
  const list = <T>(v: unknown, key: string, fn: (item: Json) => T): T[] | undefined => {
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      refuse();
      return;
    }
    return v.map((x: unknown) => {
      if (isObject(x)) return fn(x);
      refuse();
      return { [key]: '' } as T;
    });
  };
  const cookie = (c: Json): CookieInfo => strings(c, { name: reqString(c.name) }, ['provider', 'purpose', 'duration']);

  // revision
  let revision = '1';
  const rev = raw.revision;
  if (rev !== undefined) {
    if ((typeof rev == 'string' || Number.isFinite(rev)) && REVISION.test(rev as string)) revision = `${rev as number | string}`;
    else refuse();
  }

  // categories
  const seenCategories = new Set<string>();
  const seenServices = new Set<string>();
  /** What categories and services share: a unique id, label, description and cookies. */
  const named = (c: Json, ids: Set<string>): ServiceConfig => {
    const id = reqString(c.id);
    if (id) {
      if (!ID.test(id) || ids.has(id)) refuse();
      ids.add(id);
    }
    const item = strings(c, { id }, ['label', 'description']);
    put(item, 'cookies', list(c.cookies, 'name', cookie));
    return item;
  };
  let categories: CategoryConfig[] = [];
  const cats = raw.categories;
  if (cats === undefined) {
    categories = DEFAULT_CATEGORY_IDS.map((id) => ({ id }));
    categories[0].required = categories[3].saleOrShare = true;
  } else if (!Array.isArray(cats) || !cats.length) refuse();
  else {
    categories = list(cats, 'id', (c) => {
      const category: CategoryConfig = named(c, seenCategories);
      put(category, 'required', optBool(c.required, false));
      put(category, 'saleOrShare', optBool(c.saleOrShare, category.id == 'advertising'));
      put(
        category,
        'services',
        list(c.services, 'id', (s) => {
          const service = named(s, seenServices);
          put(service, 'catalog', optString(s.catalog));
          // A malformed pattern fails closed like any other error: nothing optional is granted.
          if (s.urls !== undefined)
            if (Array.isArray(s.urls) && s.urls.every((u) => typeof u == 'string' && URL_PATTERN.test(u))) put(service, 'urls', [...(s.urls as string[])]);
            else refuse();
          return service;
        }),
      );
      return category;
      // `cats` is an array, so `list` returns one: `[]` only satisfies the type.
    }) ?? [];
    for (const id of seenServices) if (seenCategories.has(id)) refuse();
  }

  // cookie
  const c = objectOr(raw.cookie);
  const cookieOptions: CookieOptions = strings(c, { name: 'consentkit', path: '/', sameSite: 'Lax', expiryDays: 182 }, COOKIE_FIELDS, COOKIE_PATTERNS);
  put(cookieOptions, 'sameSite', oneOf(c.sameSite, SAME_SITE));
  if (c.secure !== undefined) cookieOptions.secure = optBool(c.secure, false);
  put(cookieOptions, 'expiryDays', whole(c.expiryDays, MAX_EXPIRY_DAYS));

  // report
  let report: ReportOptions | false = false;
  const r = raw.report;
  if (typeof r == 'string') report = { url: reqString(r) };
  else if (isObject(r)) {
    report = { url: reqString(r.url) };
    put(report, 'headers', r.headers !== undefined && stringTable(r.headers));
    put(report, 'credentials', oneOf(r.credentials, CREDENTIALS));
    put(report, 'timeout', whole(r.timeout, Infinity));
  } else if (r !== undefined && r !== false) refuse();
  if (report && !report.url) report = false;

  const texts: Record<string, Record<string, string>> = {};
  for (const [lang, table] of Object.entries(objectOr(raw.texts))) put(texts, lang, stringTable(table));

  // The fields below never make the config unusable: each falls back to its
  // strict default, and the diagnostics part names the problem.
  const noteProblem = () => {
    status.needsDiagnostics = true;
  };
  const fallBack = <T>(fallback: T): T => {
    noteProblem();
    return fallback;
  };

  // ui: not an object is an error of the config, a bad option falls back to its default.
  const ui: UiOptions = { ...UI_DEFAULTS };
  for (const [key, v] of Object.entries(objectOr(raw.ui))) if (v !== undefined && !setUiOption(ui, key, v)) noteProblem();

  // region and regions: any problem means opt-in everywhere.
  const region = normRegion(raw.region);
  let regionsValid = raw.region === undefined || region !== undefined;
  const regions: Record<string, ConsentMode> = {};
  if (raw.regions !== undefined) {
    if (!isObject(raw.regions)) regionsValid = false;
    else
      for (const [k, v] of Object.entries(raw.regions)) {
        const key = k == 'default' ? k : normRegion(k);
        if (key && (v === 'opt-in' || v === 'opt-out')) regions[key] = v;
        else regionsValid = false;
      }
  }

  // dataLayer: falls back rather than switching off, so Google tags still find the denied default.
  const name = raw.dataLayer ?? 'dataLayer';
  const dataLayer = typeof name == 'string' && IDENT.test(name) ? name : fallBack('dataLayer');

  // trustedScriptUrls: an invalid list allows no marked script at all.
  const urls = raw.trustedScriptUrls;
  let trustedScriptUrls: string[] | undefined;
  if (urls !== undefined)
    trustedScriptUrls = Array.isArray(urls) && urls.every((u) => typeof u == 'string' && SCRIPT_URL.test(u)) ? [...(urls as string[])] : fallBack([]);

  // googleConsentMode: `true` is every default; a problem keeps every signal denied.
  const gcm = raw.googleConsentMode;
  const gcmObject = gcm === true ? {} : gcm === false ? false : objectOr(gcm, false as const);
  let googleConsentMode: ConsentModeOptions | false = false;
  if (gcmObject) {
    const problem = () => {
      status.consentModeUsable = false;
    };
    const o = consentModeDefaults();
    const w = gcmObject.waitForUpdate;
    if (isWhole(w, 0, 6e4)) o.waitForUpdate = w;
    else if (w !== undefined) problem();
    for (const k of ['adsDataRedaction', 'urlPassthrough'] as const)
      if (typeof gcmObject[k] == 'boolean') o[k] = gcmObject[k];
      else if (gcmObject[k] !== undefined) problem();
    const known = {
      mapping: categories.map((category) => category.id),
      services: categories.flatMap((category) => (category.services ?? []).map((s) => s.id)),
    };
    for (const key of ['mapping', 'services'] as const) {
      const v = gcmObject[key];
      if (isObject(v))
        for (const [id, signals] of Object.entries(v))
          if (known[key].includes(id) && Array.isArray(signals) && signals.every(isSignal)) o[key][id] = [...signals];
          else problem();
      else if (v !== undefined) problem();
    }
    const regionDefaults = gcmObject.regions;
    if (Array.isArray(regionDefaults))
      for (const entry of regionDefaults) {
        const signals = consentModeRegion(entry);
        if (signals) o.regions.push(signals);
        else problem();
      }
    else if (regionDefaults !== undefined) problem();
    googleConsentMode = o;
  }

  const reloadOnWithdraw = optBool(raw.reloadOnWithdraw, true);
  const gpc = optBool(raw.gpc, true);
  const audit = optBool(raw.audit, false);
  const language = optString(raw.language, LANGUAGE);
  const unknownFields = Object.keys(raw).some((k) => !KNOWN_FIELDS.includes(k));
  const config: ResolvedConfig = {
    revision,
    categories,
    cookie: cookieOptions,
    report,
    reloadOnWithdraw,
    gpc,
    ui,
    texts,
    googleConsentMode,
    regions: regionsValid ? regions : fallBack({}),
    dataLayer,
    audit,
    status,
    source: input,
  };
  // Every check has run by now: anything wrong (or unknown) is for the diagnostics part to name.
  if (!status.usable || !status.consentModeUsable || unknownFields) status.needsDiagnostics = true;
  put(config, 'language', language);
  put(config, 'region', region);
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
