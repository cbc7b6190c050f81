/**
 * The full config validator: one message per problem, each naming the
 * offending path. The one-tag gate never loads this file: it resolves the
 * config with `resolveConfig` (config.ts), which checks the same shapes
 * without messages, and loads the diagnostics part (which runs this) only
 * when that check finds a problem. Tests hold the two to the same verdict.
 */
import {
  COOKIE_FIELDS,
  COOKIE_PATTERNS,
  CREDENTIALS,
  ID,
  KNOWN_FIELDS,
  LANGUAGE,
  MAX_EXPIRY_DAYS,
  REVISION,
  SAME_SITE,
  URL_PATTERN,
  isObject,
  isStringTable,
  isWhole,
  resolveConfig,
  type ResolvedConfig,
} from '../../gate/core/config.js';

export interface ValidationResult {
  /** The resolved config (`resolveConfig`), every default filled in. */
  config: ResolvedConfig;
  /** One message per problem, each naming the offending path. Empty when valid. */
  errors: string[];
  /** Fields the SDK does not know (likely typos); the config stays usable. */
  warnings: string[];
}

type Json = Record<string, unknown>;

/**
 * Validates `input`: the resolved config, and a message for each field that
 * makes it unusable (the fields the core reads). Never throws. Region, Consent
 * Mode, dataLayer, trusted URL and ui problems have their own messages
 * (see `reportConfig` in diagnostics.ts).
 */
export function validateConfig(input: unknown): ValidationResult {
  const errors: string[] = [];
  const fail = (path: string, message: string): void => {
    errors.push(`${path} ${message}`);
  };
  /** An object, or `{}` when missing (or not an object, with an error). */
  const object = (path: string, v: unknown): Json => (v === undefined ? {} : isObject(v) ? v : (fail(path, 'must be an object'), {}));
  const raw = object('config', input);

  const optString = (path: string, v: unknown, re?: RegExp): void => {
    if (v !== undefined && !(typeof v == 'string' && v && (!re || re.test(v)))) fail(path, re ? `must match ${re}` : 'must be a non-empty string');
  };
  /** Like `optString`, but missing is an error too. */
  const reqString = (path: string, v: unknown): void => {
    optString(path, v ?? '');
  };
  /** Checks the optional strings `keys` of `from`, each against its pattern in `patterns`. */
  const strings = (p: string, from: Json, keys: string[], patterns: RegExp[] = []): void => {
    keys.forEach((k, i) => {
      optString(`${p}.${k}`, from[k], patterns[i]);
    });
  };
  /** One of the three `allowed` (or missing). */
  const oneOf = (path: string, v: unknown, allowed: readonly [string, string, string]): void => {
    const [a, b, c] = allowed;
    if (v !== undefined && !allowed.includes(v as string)) fail(path, `must be "${a}", "${b}" or "${c}"`);
  };
  const stringTable = (path: string, v: unknown): void => {
    if (!isStringTable(v)) fail(path, 'must be an object of strings');
  };
  /** A whole number from 1 to `max` (or missing). */
  const whole = (path: string, v: unknown, max: number, what: string): void => {
    if (v !== undefined && !isWhole(v, 1, max)) fail(path, `must be a whole number of ${what}`);
  };
  const optBool = (path: string, v: unknown): void => {
    if (v !== undefined && typeof v != 'boolean') fail(path, 'must be true or false');
  };
  /** `check` of every item of an array, each of which must be an object (or the array missing). */
  const list = (path: string, v: unknown, check: (p: string, item: Json) => void): void => {
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      fail(path, 'must be an array');
      return;
    }
    v.forEach((x: unknown, i) => {
      const p = `${path}[${i}]`;
      if (isObject(x)) check(p, x);
      else fail(p, 'must be an object');
    });
  };
  const cookie = (p: string, c: Json) => {
    reqString(`${p}.name`, c.name);
    strings(p, c, ['provider', 'purpose', 'duration']);
  };

  const rev = raw.revision;
  if (rev !== undefined && !((typeof rev == 'string' || Number.isFinite(rev)) && REVISION.test(rev as string)))
    fail('revision', 'must be a number or a string of letters, digits, ".", "_" or "-"');

  // categories
  const seen = new Set<string>();
  const seenServices = new Set<string>();
  /** What categories and services share: a unique id, label, description and cookies. */
  const named = (p: string, c: Json, ids: Set<string>) => {
    reqString(`${p}.id`, c.id);
    const id = c.id;
    if (typeof id == 'string' && id) {
      if (!ID.test(id)) fail(`${p}.id`, 'must use only letters, digits, "_" or "-" (at most 40)');
      else if (ids.has(id)) fail(`${p}.id`, `"${id}" is used twice`);
      ids.add(id);
    }
    strings(p, c, ['label', 'description']);
    list(`${p}.cookies`, c.cookies, cookie);
  };
  const cats = raw.categories;
  if (cats !== undefined) {
    if (!Array.isArray(cats) || !cats.length) fail('categories', 'must be a non-empty array');
    else {
      list('categories', cats, (p, c) => {
        named(p, c, seen);
        optBool(`${p}.required`, c.required);
        optBool(`${p}.saleOrShare`, c.saleOrShare);
        list(`${p}.services`, c.services, (sp, s) => {
          named(sp, s, seenServices);
          optString(`${sp}.catalog`, s.catalog);
          const urls = s.urls;
          if (urls !== undefined && !Array.isArray(urls)) fail(`${sp}.urls`, 'must be an array of URL patterns');
          else
            urls?.forEach((u: unknown, i) => {
              if (typeof u != 'string' || !URL_PATTERN.test(u))
                fail(`${sp}.urls[${i}]`, 'must be a URL pattern: a host, then optionally a path (www.googletagmanager.com/gtag/js), no scheme');
            });
        });
      });
      for (const id of seenServices) if (seen.has(id)) fail('categories', `service id "${id}" is also a category id`);
    }
  }

  const c = object('cookie', raw.cookie);
  strings('cookie', c, COOKIE_FIELDS, COOKIE_PATTERNS);
  oneOf('cookie.sameSite', c.sameSite, SAME_SITE);
  optBool('cookie.secure', c.secure);
  whole('cookie.expiryDays', c.expiryDays, MAX_EXPIRY_DAYS, `days from 1 to ${MAX_EXPIRY_DAYS}`);

  const r = raw.report;
  if (typeof r == 'string') reqString('report', r);
  else if (isObject(r)) {
    reqString('report.url', r.url);
    if (r.headers !== undefined) stringTable('report.headers', r.headers);
    oneOf('report.credentials', r.credentials, CREDENTIALS);
    whole('report.timeout', r.timeout, Infinity, 'milliseconds above 0');
  } else if (r !== undefined && r !== false) fail('report', 'must be a URL string, an object or false');

  for (const [lang, table] of Object.entries(object('texts', raw.texts))) stringTable(`texts.${lang}`, table);
  const gcm = raw.googleConsentMode;
  if (typeof gcm != 'boolean') object('googleConsentMode', gcm);
  optBool('reloadOnWithdraw', raw.reloadOnWithdraw);
  optBool('gpc', raw.gpc);
  object('ui', raw.ui);
  optBool('audit', raw.audit);
  optString('language', raw.language, LANGUAGE);

  const warnings = Object.keys(raw)
    .filter((k) => !KNOWN_FIELDS.includes(k))
    .map((k) => `${k} is not a known option`);
  return { config: resolveConfig(input), errors, warnings };
}
