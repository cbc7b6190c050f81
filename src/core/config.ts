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
/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Json => typeof v == 'object' && v !== null && !Array.isArray(v);

/** Validates `input` and fills defaults. Never throws. */
export function validateConfig(input: unknown): ValidationResult {
  const errors: string[] = [];
  const fail = (path: string, message: string): undefined => {
    errors.push(`${path} ${message}`);
  };
  /** Sets `o[k]` to `v` unless `v` is missing (or false). */
  const put = (o: object, k: string, v: unknown) => {
    if (v) (o as Json)[k] = v;
  };
  /** An object, or `dflt` when missing (or not an object, with an error). */
  const objectOr = <T = Json>(path: string, v: unknown, dflt = {} as T): Json | T =>
    v === undefined ? dflt : isObject(v) ? v : (fail(path, 'must be an object'), dflt);
  const raw = objectOr('config', input);

  const optString = (path: string, v: unknown, re?: RegExp): string | undefined => {
    if (v === undefined || (typeof v == 'string' && v && (!re || re.test(v)))) return v;
    fail(path, re ? `must match ${re}` : 'must be a non-empty string');
  };
  /** Like `optString`, but missing is an error too (and gives ''). */
  const reqString = (path: string, v: unknown): string => optString(path, v ?? '') ?? '';
  /** Copies the optional strings `keys` of `from` into `to`, each checked against its pattern in `res`. */
  const strings = <T extends object>(p: string, from: Json, to: T, keys: string[], res: RegExp[] = []): T => {
    keys.forEach((k, i) => {
      put(to, k, optString(`${p}.${k}`, from[k], res[i]));
    });
    return to;
  };
  /** One of the three `allowed`, or undefined (with an error unless missing). */
  const oneOf = <T extends string>(path: string, v: unknown, allowed: readonly [T, T, T]): T | undefined => {
    const [a, b, c] = allowed;
    if (v === undefined || allowed.includes(v as T)) return v as T | undefined;
    fail(path, `must be "${a}", "${b}" or "${c}"`);
  };
  /** An object whose values are all strings, or undefined (with an error). */
  const stringTable = (path: string, v: unknown): Record<string, string> | undefined => {
    if (isObject(v) && Object.values(v).every((x) => typeof x == 'string')) return v as Record<string, string>;
    fail(path, 'must be an object of strings');
  };
  /** A whole number from 1 to `max`, or undefined (with an error unless missing). */
  const whole = (path: string, v: unknown, max: number, what: string): number | undefined => {
    if (v === undefined || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max)) return v as number | undefined;
    fail(path, `must be a whole number of ${what}`);
  };
  const optBool = (path: string, v: unknown, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v != 'boolean') fail(path, 'must be true or false');
    return v === true;
  };
  /**
   * `fn` of every item of an array, each checked to be an object (else `{ [key]: '' }`);
   * undefined when missing (or not an array, with an error).
   */
  function list<T>(path: string, v: unknown[], key: string, fn: (p: string, item: Json) => T): T[];
  function list<T>(path: string, v: unknown, key: string, fn: (p: string, item: Json) => T): T[] | undefined;
  function list<T>(path: string, v: unknown, key: string, fn: (p: string, item: Json) => T): T[] | undefined {
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      fail(path, 'must be an array');
      return;
    }
    return v.map((x: unknown, i) => {
      const p = `${path}[${i}]`;
      return isObject(x) ? fn(p, x) : (fail(p, 'must be an object'), { [key]: '' } as T);
    });
  }
  const cookie = (p: string, c: Json): CookieInfo =>
    strings(p, c, { name: reqString(`${p}.name`, c.name) }, ['provider', 'purpose', 'duration']);

  // revision
  let revision = '1';
  const rev = raw.revision;
  if (rev !== undefined) {
    if ((typeof rev == 'string' || Number.isFinite(rev)) && REVISION.test(rev as string)) revision = `${rev as number | string}`;
    else fail('revision', 'must be a number or a string of letters, digits, ".", "_" or "-"');
  }

  // categories
  const seen = new Set<string>();
  const seenServices = new Set<string>();
  /** What categories and services share: a unique id, label, description and cookies. */
  const named = (p: string, c: Json, ids: Set<string>): ServiceConfig => {
    const id = reqString(`${p}.id`, c.id);
    if (id) {
      if (!ID.test(id)) fail(`${p}.id`, 'must use only letters, digits, "_" or "-" (at most 40)');
      else if (ids.has(id)) fail(`${p}.id`, `"${id}" is used twice`);
      ids.add(id);
    }
    const item = strings(p, c, { id }, ['label', 'description']);
    put(item, 'cookies', list(`${p}.cookies`, c.cookies, 'name', cookie));
    return item;
  };
  let categories: CategoryConfig[] = [];
  const cats = raw.categories;
  if (cats === undefined) {
    categories = DEFAULT_CATEGORY_IDS.map((id) => ({ id }));
    categories[0].required = categories[3].saleOrShare = true;
  } else if (!Array.isArray(cats) || !cats.length) fail('categories', 'must be a non-empty array');
  else {
    categories = list('categories', cats, 'id', (p, c) => {
      const cat: CategoryConfig = named(p, c, seen);
      put(cat, 'required', optBool(`${p}.required`, c.required, false));
      put(cat, 'saleOrShare', optBool(`${p}.saleOrShare`, c.saleOrShare, cat.id == 'advertising'));
      put(cat, 'services', list(`${p}.services`, c.services, 'id', (sp, s) => named(sp, s, seenServices)));
      return cat;
    });
    for (const id of seenServices) if (seen.has(id)) fail('categories', `service id "${id}" is also a category id`);
  }

  // cookie
  const c = objectOr('cookie', raw.cookie);
  const cookieOptions: CookieOptions = strings(
    'cookie',
    c,
    { name: 'consentkit', path: '/', sameSite: 'Lax', expiryDays: 182 },
    ['name', 'domain', 'path'],
    [/^[A-Za-z0-9_-]{1,64}$/, /^\.?[A-Za-z0-9.-]+$/, /^\/[^;\s]*$/],
  );
  put(cookieOptions, 'sameSite', oneOf('cookie.sameSite', c.sameSite, ['Lax', 'Strict', 'None']));
  if (c.secure !== undefined) cookieOptions.secure = optBool('cookie.secure', c.secure, false);
  put(cookieOptions, 'expiryDays', whole('cookie.expiryDays', c.expiryDays, MAX_EXPIRY_DAYS, `days from 1 to ${MAX_EXPIRY_DAYS}`));

  // report
  let report: ReportOptions | false = false;
  const r = raw.report;
  if (typeof r == 'string') report = { url: reqString('report', r) };
  else if (isObject(r)) {
    report = { url: reqString('report.url', r.url) };
    put(report, 'headers', r.headers !== undefined && stringTable('report.headers', r.headers));
    put(report, 'credentials', oneOf('report.credentials', r.credentials, ['omit', 'same-origin', 'include']));
    put(report, 'timeout', whole('report.timeout', r.timeout, Infinity, 'milliseconds above 0'));
  } else if (r !== undefined && r !== false) fail('report', 'must be a URL string, an object or false');
  if (report && !report.url) report = false;

  const texts: Record<string, Record<string, string>> = {};
  for (const [lang, table] of Object.entries(objectOr('texts', raw.texts))) put(texts, lang, stringTable(`texts.${lang}`, table));
  const gcm = raw.googleConsentMode;
  const googleConsentMode = gcm === true ? {} : gcm === false ? false : objectOr('googleConsentMode', gcm, false as const);

  const config: ResolvedConfig = {
    revision,
    categories,
    cookie: cookieOptions,
    report,
    reloadOnWithdraw: optBool('reloadOnWithdraw', raw.reloadOnWithdraw, true),
    gpc: optBool('gpc', raw.gpc, true),
    ui: objectOr('ui', raw.ui),
    texts,
    googleConsentMode,
    audit: optBool('audit', raw.audit, false),
    source: input,
  };
  put(config, 'language', optString('language', raw.language, /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/));
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
