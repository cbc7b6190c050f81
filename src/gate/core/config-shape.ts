/**
 * The shape of the config, as one table: which type, pattern, range or list of
 * values each field takes. `readShape` walks a value through it, keeping what
 * fits and reporting each problem by its path, without a message: the gate
 * (`resolveConfig`) only counts problems, the diagnostics part turns each into
 * a message (`validate-config.ts`). A test holds the table to the JSON Schema
 * editors use (`schema/consentkit-config.schema.json`).
 */
import { safeUrl } from './ui-options.js';

/**
 * What a value must be: the subset of JSON Schema the config needs, with
 * patterns as RegExps. Every keyword is optional; an empty shape takes anything.
 */
export interface Shape {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  /** The only values allowed. */
  enum?: readonly unknown[];
  /** What a string (or a number, as text) must match. */
  pattern?: RegExp;
  minLength?: number;
  /** `url`: an http(s) or relative URL, never `javascript:`, `data:` and the like. */
  format?: 'url';
  minimum?: number;
  maximum?: number;
  /** The shape of every item of an array. One bad item makes the whole array bad. */
  items?: Shape;
  minItems?: number;
  /** The shapes of an object's properties. A bad property is left out (its default applies). */
  properties?: Record<string, Shape>;
  /** Properties that must be there; without one of them the whole object is bad. */
  required?: string[];
  /** The shape of the other properties; `false`: none allowed; absent: ignored. */
  additionalProperties?: Shape | false;
  /** Alternatives, picked by the value's type (and `enum`). */
  anyOf?: Shape[];
}

/** Problems no shape expresses, which `resolveConfig` checks itself. */
export type Rule = 'unknown field' | 'used twice' | 'also a category id' | 'unknown id' | 'region code';

/** Where a value is: the keys and indexes leading to it from the config (`['categories', 0, 'id']`). */
export type Path = (string | number)[];

/** Called with each problem: where it is, the shape or rule it breaks, and the value found there. */
export type Problem = (path: Path, broken: Shape | Rule, value: unknown) => void;

// The patterns of the table, also read by the integrations and the diagnostics part.
export const ID = /^[A-Za-z0-9_-]{1,40}$/;
export const REVISION = /^[A-Za-z0-9._-]{1,40}$/;
export const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** An ISO 3166-1 country or ISO 3166-2 subdivision code, upper case (`DE`, `US-CA`). */
export const REGION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
/** A `dataLayer` name: a JavaScript identifier. */
export const IDENT = /^[A-Za-z_$][\w$]*$/;
/** A `trustedScriptUrls` entry: an absolute http(s) URL or a root-relative path, optionally ending in `*` (prefix). */
export const SCRIPT_URL = /^(https?:\/\/[^/\s*?#]+)?\/[^\s*]*\*?$/;
/** A `services[].urls` entry (the syntax of `blocker/url-pattern.ts`): a host, optionally `*.` before it and a path after it; no scheme. */
export const URL_PATTERN = /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(\/\S*)?$/;
export const MAX_EXPIRY_DAYS = 395;

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

type Json = Record<string, unknown>;
/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Json => typeof v == 'object' && v !== null && !Array.isArray(v);

// Builders of shapes, so that the table below reads like the JSON Schema it follows.
const string = (pattern?: RegExp): Shape => ({ type: 'string', pattern });
const oneOf = (...values: unknown[]): Shape => ({ enum: values });
const integer = (minimum: number, maximum?: number): Shape => ({ type: 'integer', minimum, maximum });
const arrayOf = (items: Shape, minItems?: number): Shape => ({ type: 'array', items, minItems });
const object = (properties: Record<string, Shape>, rest?: Pick<Shape, 'required' | 'additionalProperties'>): Shape => ({
  type: 'object',
  properties,
  ...rest,
});
/** An object of any keys whose values all have `shape`. */
const recordOf = (shape: Shape): Shape => ({ type: 'object', additionalProperties: shape });
/** A non-empty string. */
const TEXT: Shape = { type: 'string', minLength: 1 };
const BOOLEAN: Shape = { type: 'boolean' };
/** An http(s) or relative URL. */
const URL_OPTION: Shape = { type: 'string', format: 'url' };
/** A list of signal names (`googleConsentMode.mapping` and `.services`). */
const SIGNAL_LIST = arrayOf(oneOf(...SIGNALS));

const COOKIES = arrayOf(object({ name: TEXT, provider: TEXT, purpose: TEXT, duration: TEXT }, { required: ['name'] }));
/** What categories and services share. */
const NAMED = { id: string(ID), label: TEXT, description: TEXT, cookies: COOKIES };
const SERVICE = object({ ...NAMED, urls: arrayOf(string(URL_PATTERN)), catalog: TEXT }, { required: ['id'] });
const CATEGORY = object({ ...NAMED, required: BOOLEAN, saleOrShare: BOOLEAN, services: arrayOf(SERVICE) }, { required: ['id'] });

/** `ui`: the banner and dialog options (`UiOptions`). An unknown option is a problem. */
export const UI_SHAPE = object(
  {
    layout: oneOf('bar', 'box', 'modal'),
    theme: oneOf('auto', 'light', 'dark'),
    floatingButton: BOOLEAN,
    withdrawButton: BOOLEAN,
    closeAction: oneOf('reject', 'dismiss'),
    privacyPolicyUrl: URL_OPTION,
    i18nUrl: URL_OPTION,
  },
  { additionalProperties: false },
);

/** `googleConsentMode` as an object (`ConsentModeOptions`). */
const CONSENT_MODE = object({
  waitForUpdate: integer(0, 60000),
  adsDataRedaction: BOOLEAN,
  urlPassthrough: BOOLEAN,
  // Keys: category ids (`mapping`) and service ids (`services`), checked by resolveConfig.
  mapping: recordOf(SIGNAL_LIST),
  services: recordOf(SIGNAL_LIST),
  regions: arrayOf(
    object(
      {
        region: arrayOf(string(REGION), 1),
        ...Object.fromEntries(SIGNALS.map((signal) => [signal, oneOf('granted', 'denied')])),
      },
      { required: ['region'], additionalProperties: false },
    ),
  ),
});

/** The whole config. An unknown top-level field is a problem (a likely typo). */
export const CONFIG_SHAPE = object(
  {
    $schema: {},
    // A number counts as its text: 2 is revision "2".
    revision: { anyOf: [{ type: 'number', pattern: REVISION }, string(REVISION)] },
    language: string(LANGUAGE),
    categories: arrayOf(CATEGORY, 1),
    cookie: object({
      name: string(/^[A-Za-z0-9_-]{1,64}$/),
      domain: string(/^\.?[A-Za-z0-9.-]+$/),
      path: string(/^\/[^;\s]*$/),
      sameSite: oneOf('Lax', 'Strict', 'None'),
      secure: BOOLEAN,
      expiryDays: integer(1, MAX_EXPIRY_DAYS),
    }),
    report: {
      anyOf: [
        oneOf(false),
        TEXT,
        object(
          {
            url: TEXT,
            headers: recordOf(string()),
            credentials: oneOf('omit', 'same-origin', 'include'),
            timeout: integer(1),
          },
          { required: ['url'] },
        ),
      ],
    },
    reloadOnWithdraw: BOOLEAN,
    gpc: BOOLEAN,
    audit: BOOLEAN,
    texts: recordOf(recordOf(string())),
    ui: UI_SHAPE,
    googleConsentMode: { anyOf: [BOOLEAN, CONSENT_MODE] },
    dataLayer: string(IDENT),
    // Region codes in any case (`us-ca`), checked by resolveConfig.
    region: string(),
    regions: recordOf(oneOf('opt-in', 'opt-out')),
    trustedScriptUrls: arrayOf(string(SCRIPT_URL)),
  },
  { additionalProperties: false },
);

/** What each type takes. NaN and the infinities are no number. */
const TYPES: Record<NonNullable<Shape['type']>, (v: unknown) => boolean> = {
  string: (v) => typeof v == 'string',
  number: Number.isFinite,
  integer: Number.isInteger,
  boolean: (v) => typeof v == 'boolean',
  object: isObject,
  array: Array.isArray,
};

/** Whether `v` is of the shape's type and among its values. */
const fitsType = (shape: Shape, v: unknown): boolean => (!shape.type || TYPES[shape.type](v)) && (!shape.enum || shape.enum.includes(v));

/**
 * A copy of `value` with what fits `shape` (`undefined` when nothing does),
 * calling `problem` for each problem on the way. Never throws. `undefined`
 * properties count as missing.
 */
export function readShape(shape: Shape, value: unknown, path: Path, problem: Problem): unknown {
  const fits = shape.anyOf ? shape.anyOf.find((branch) => fitsType(branch, value)) : shape;
  const { minimum = -Infinity, maximum = Infinity, pattern, items, properties = {}, required = [], additionalProperties } = fits ?? {};
  if (
    !fits ||
    !fitsType(fits, value) ||
    (pattern && !pattern.test(value as string)) ||
    (typeof value == 'string' && (value.length < (fits.minLength ?? 0) || (fits.format && !safeUrl(value)))) ||
    (typeof value == 'number' && !(value >= minimum && value <= maximum)) ||
    (Array.isArray(value) && value.length < (fits.minItems ?? 0))
  ) {
    problem(path, fits ?? shape, value);
    return undefined;
  }
  if (Array.isArray(value) && items) {
    // Every item is read, so that each problem is reported.
    const copy = value.map((item: unknown, i) => readShape(items, item, [...path, i], problem));
    return copy.includes(undefined) ? undefined : copy;
  }
  if (!isObject(value)) return value;
  let complete = true;
  for (const key of required)
    if (value[key] === undefined) {
      problem([...path, key], properties[key], undefined);
      complete = false;
    }
  const copy: [string, unknown][] = [];
  for (const [key, v] of Object.entries(value)) {
    // Own properties only: `toString` is no field, whatever Object.prototype says.
    const sub = Object.hasOwn(properties, key) ? properties[key] : additionalProperties;
    const at = [...path, key];
    if (v === undefined || sub === undefined) continue;
    if (sub === false) problem(at, 'unknown field', v);
    else {
      const read = readShape(sub, v, at, problem);
      if (read !== undefined) copy.push([key, read]);
      else if (required.includes(key)) complete = false;
    }
  }
  // fromEntries: a `__proto__` key is a property like any other, not the prototype.
  return complete ? Object.fromEntries(copy) : undefined;
}
