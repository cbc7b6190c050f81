/**
 * The site owner's configuration: its types, defaults and validation.
 *
 * The config must be JSON-serialisable so it can sit in a page as
 * `<script type="application/json" id="consentkit-config">`. Validation never
 * throws: it collects one message per offending path, and the caller decides
 * (fail closed) what an unusable config means.
 */

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

/** Where consent records are sent (see the consent-records section of the README). */
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
  /** Options read by the UI (layout, theme, texts); validated by the UI. */
  ui?: Record<string, unknown>;
  /** Per-language text overrides, `{ "en": { "banner.title": "…" } }`. */
  texts?: Record<string, Record<string, string>>;
  /** Options read by integrations (Google Consent Mode, regions, …). */
  googleConsentMode?: Record<string, unknown> | boolean;
  /** Audit mode: report what appears before consent (also `?consentkit-audit` in the page URL). */
  audit?: boolean;
}

/** The validated config with every default filled in. */
export interface ResolvedConfig {
  revision: string;
  language?: string;
  categories: CategoryConfig[];
  cookie: CookieOptions;
  report: ReportOptions | false;
  reloadOnWithdraw: boolean;
  gpc: boolean;
  ui: Record<string, unknown>;
  texts: Record<string, Record<string, string>>;
  googleConsentMode: Record<string, unknown> | false;
  audit: boolean;
  /** The config as given, for hashing into consent records. */
  source: unknown;
}

export interface ValidationResult {
  config: ResolvedConfig;
  /** One message per problem, each naming the offending path. Empty when valid. */
  errors: string[];
  /** Fields the SDK does not know (likely typos); the config stays usable. */
  warnings: string[];
}

/** Top-level fields the SDK reads; any other one is reported as a likely typo. */
const KNOWN = ['revision', 'language', 'categories', 'cookie', 'report', 'reloadOnWithdraw', 'gpc', 'ui', 'texts', 'googleConsentMode', 'dataLayer', 'region', 'regions', 'trustedScriptUrls', 'audit', '$schema'];

export const DEFAULT_CATEGORY_IDS = ['necessary', 'functional', 'analytics', 'advertising'];
export const MAX_EXPIRY_DAYS = 395;

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const REVISION = /^[A-Za-z0-9._-]{1,40}$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v == 'object' && v !== null && !Array.isArray(v);

/** Validates `input` and fills defaults. Never throws. */
export function validateConfig(input: unknown): ValidationResult {
  const errors: string[] = [];
  const fail = (path: string, message: string) => errors.push(`${path} ${message}`);
  const raw: Json = input === undefined ? {} : isObject(input) ? input : {};
  if (input !== undefined && !isObject(input)) fail('config', 'must be an object');

  const optString = (path: string, v: unknown, re?: RegExp): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v != 'string' || !v || (re && !re.test(v))) {
      fail(path, re ? `must match ${String(re)}` : 'must be a non-empty string');
      return undefined;
    }
    return v;
  };
  /** Like `optString`, but missing is an error too. */
  const reqString = (path: string, v: unknown): string => {
    if (v === undefined) fail(path, 'must be a non-empty string');
    return optString(path, v) ?? '';
  };
  /** One of `allowed`, or undefined (with an error unless missing). */
  const oneOf = <T extends string>(path: string, v: unknown, allowed: readonly T[]): T | undefined => {
    if (v === undefined || allowed.includes(v as T)) return v as T | undefined;
    fail(path, `must be ${allowed.map((a) => `"${a}"`).join(', ').replace(/, ([^,]*)$/, ' or $1')}`);
  };
  /** An object whose values are all strings, or undefined (with an error). */
  const stringTable = (path: string, v: unknown): Record<string, string> | undefined => {
    if (isObject(v) && Object.values(v).every((x) => typeof x == 'string')) return v as Record<string, string>;
    fail(path, 'must be an object of strings');
  };
  /** A whole number from `min` to `max`, or undefined (with an error unless missing). */
  const whole = (path: string, v: unknown, min: number, max: number, what: string): number | undefined => {
    if (v === undefined || (typeof v == 'number' && Number.isInteger(v) && v >= min && v <= max)) return v;
    fail(path, `must be a whole number of ${what}`);
  };
  const optBool = (path: string, v: unknown, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v != 'boolean') fail(path, 'must be true or false');
    return v === true;
  };
  const cookies = (path: string, v: unknown): CookieInfo[] | undefined => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      fail(path, 'must be an array');
      return undefined;
    }
    return v.map((c: unknown, i) => {
      const p = `${path}[${i}]`;
      if (!isObject(c)) {
        fail(p, 'must be an object');
        return { name: '' };
      }
      const info: CookieInfo = { name: reqString(`${p}.name`, c.name) };
      for (const k of ['provider', 'purpose', 'duration'] as const) {
        const s = optString(`${p}.${k}`, c[k]);
        if (s) info[k] = s;
      }
      return info;
    });
  };

  // revision
  let revision = '1';
  if (raw.revision !== undefined) {
    const r = typeof raw.revision == 'number' && Number.isFinite(raw.revision) ? String(raw.revision) : raw.revision;
    if (typeof r == 'string' && REVISION.test(r)) revision = r;
    else fail('revision', 'must be a number or a string of letters, digits, ".", "_" or "-"');
  }

  // categories
  const seen = new Set<string>();
  const seenServices = new Set<string>();
  const uniqueId = (path: string, v: unknown, set: Set<string>): string => {
    if (typeof v != 'string' || !v) {
      fail(path, 'must be a non-empty string');
      return '';
    }
    if (!ID.test(v)) fail(path, 'must use only letters, digits, "_" or "-" (at most 40)');
    else if (set.has(v)) fail(path, `"${v}" is used twice`);
    set.add(v);
    return v;
  };
  /** What categories and services share: id, label, description and cookies. */
  const named = (p: string, c: Json, ids: Set<string>): ServiceConfig => {
    const item: ServiceConfig = { id: uniqueId(`${p}.id`, c.id, ids) };
    for (const k of ['label', 'description'] as const) {
      const text = optString(`${p}.${k}`, c[k]);
      if (text) item[k] = text;
    }
    const ck = cookies(`${p}.cookies`, c.cookies);
    if (ck) item.cookies = ck;
    return item;
  };
  let categories: CategoryConfig[];
  if (raw.categories === undefined) {
    categories = DEFAULT_CATEGORY_IDS.map((id) => (id == 'necessary' ? { id, required: true } : { id }));
    categories[3].saleOrShare = true;
  } else if (!Array.isArray(raw.categories) || raw.categories.length == 0) {
    fail('categories', 'must be a non-empty array');
    categories = [];
  } else {
    categories = raw.categories.map((c: unknown, i) => {
      const p = `categories[${i}]`;
      if (!isObject(c)) {
        fail(p, 'must be an object');
        return { id: '' };
      }
      const cat: CategoryConfig = named(p, c, seen);
      if (optBool(`${p}.required`, c.required, false)) cat.required = true;
      if (optBool(`${p}.saleOrShare`, c.saleOrShare, cat.id == 'advertising')) cat.saleOrShare = true;
      if (c.services !== undefined) {
        if (!Array.isArray(c.services)) fail(`${p}.services`, 'must be an array');
        else
          cat.services = c.services.map((s: unknown, j) => {
            const sp = `${p}.services[${j}]`;
            if (!isObject(s)) {
              fail(sp, 'must be an object');
              return { id: '' };
            }
            return named(sp, s, seenServices);
          });
      }
      return cat;
    });
    for (const id of seenServices) if (seen.has(id)) fail('categories', `service id "${id}" is also a category id`);
  }

  // cookie
  const cookie: CookieOptions = { name: 'consentkit', path: '/', sameSite: 'Lax', expiryDays: 182 };
  if (raw.cookie !== undefined) {
    if (!isObject(raw.cookie)) fail('cookie', 'must be an object');
    else {
      const c = raw.cookie;
      cookie.name = optString('cookie.name', c.name, /^[A-Za-z0-9_-]{1,64}$/) ?? cookie.name;
      const domain = optString('cookie.domain', c.domain, /^\.?[A-Za-z0-9.-]+$/);
      if (domain) cookie.domain = domain;
      cookie.path = optString('cookie.path', c.path, /^\/[^;\s]*$/) ?? cookie.path;
      cookie.sameSite = oneOf('cookie.sameSite', c.sameSite, ['Lax', 'Strict', 'None'] as const) ?? cookie.sameSite;
      if (c.secure !== undefined) cookie.secure = optBool('cookie.secure', c.secure, false);
      cookie.expiryDays =
        whole('cookie.expiryDays', c.expiryDays, 1, MAX_EXPIRY_DAYS, `days from 1 to ${MAX_EXPIRY_DAYS}`) ?? cookie.expiryDays;
    }
  }

  // report
  let report: ReportOptions | false = false;
  const r = raw.report;
  if (typeof r == 'string') report = { url: optString('report', r) ?? '' };
  else if (isObject(r)) {
    report = { url: reqString('report.url', r.url) };
    const headers = r.headers === undefined ? undefined : stringTable('report.headers', r.headers);
    if (headers) report.headers = headers;
    const credentials = oneOf('report.credentials', r.credentials, ['omit', 'same-origin', 'include'] as const);
    if (credentials) report.credentials = credentials;
    const timeout = whole('report.timeout', r.timeout, 1, Infinity, 'milliseconds above 0');
    if (timeout) report.timeout = timeout;
  } else if (r !== undefined && r !== false) fail('report', 'must be a URL string, an object or false');
  if (report && !report.url) report = false;

  const objectOr = <T>(path: string, v: unknown, dflt: T): Json | T => {
    if (v === undefined) return dflt;
    if (isObject(v)) return v;
    fail(path, 'must be an object');
    return dflt;
  };
  const textTable: Record<string, Record<string, string>> = {};
  const t = objectOr('texts', raw.texts, {});
  for (const [lang, table] of Object.entries(t)) {
    const strings = stringTable(`texts.${lang}`, table);
    if (strings) textTable[lang] = strings;
  }
  const gcm = raw.googleConsentMode === true ? {} : raw.googleConsentMode === false ? false : objectOr('googleConsentMode', raw.googleConsentMode, false);

  const config: ResolvedConfig = {
    revision,
    categories,
    cookie,
    report,
    reloadOnWithdraw: optBool('reloadOnWithdraw', raw.reloadOnWithdraw, true),
    gpc: optBool('gpc', raw.gpc, true),
    ui: objectOr('ui', raw.ui, {}),
    texts: textTable,
    googleConsentMode: gcm,
    audit: optBool('audit', raw.audit, false),
    source: input,
  };
  const language = optString('language', raw.language, /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/);
  if (language) config.language = language;
  const warnings = Object.keys(raw)
    .filter((k) => !KNOWN.includes(k))
    .map((k) => `${k} is not a known option`);
  return { config, errors, warnings };
}

/** Ids of the categories a visitor may switch (everything not required). */
export const optionalCategories = (config: ResolvedConfig): CategoryConfig[] =>
  config.categories.filter((c) => !c.required);

/** Every service with the id of the category that holds it. */
export const allServices = (config: ResolvedConfig): (ServiceConfig & { category: string })[] =>
  config.categories.flatMap((c) => (c.services ?? []).map((s) => ({ ...s, category: c.id })));
