/**
 * The consent-record v1 rules by hand, the same as
 * `schema/consent-record.v1.json` (a test checks both agree on a table of
 * cases), so the endpoint needs no JSON Schema library.
 */
import type { ConsentRecord } from '../gate/reporting/record.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?Z$/;
const ID = /^[A-Za-z0-9_-]{1,40}$/;
const MAX_STATES = 200;

type Check = (v: unknown) => string | null;

const pattern =
  (re: RegExp, what: string, maxLength = Infinity): Check =>
  (v) =>
    typeof v == 'string' && v.length <= maxLength && re.test(v) ? null : `must be ${what}`;
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v == 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;
const states =
  (min: number): Check =>
  (v) => {
    if (typeof v != 'object' || v === null || Array.isArray(v)) return 'must be an object';
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length < min || entries.length > MAX_STATES) return `must have ${min} to ${MAX_STATES} entries`;
    const bad = entries.find(([k, on]) => !ID.test(k) || typeof on != 'boolean');
    return bad ? `has a bad entry "${bad[0]}" (ids of letters, digits, _ or -, values true or false)` : null;
  };

const uuid = pattern(UUID, 'a lowercase UUID');
const timeFormat = pattern(TIME, 'an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SS[.mmm]Z)');
/** A real calendar day from year 1 on: databases refuse 30 February and year 0 (there is none). */
const time: Check = (v) => {
  const problem = timeFormat(v);
  if (problem) return problem;
  const [year, month, day] = (v as string).slice(0, 10).split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCMonth() == month - 1 && date.getUTCDate() == day ? null : 'must be a date that exists (year 0001 or later)';
};
/** Control characters, and UTF-16 surrogates not in a pair (`u` mode reads a lone one as code point \p{Cs}). */
const UNSTORABLE = /[\p{Cc}\p{Cs}]/u;
/** Text a database can store: no control characters, no unpaired UTF-16 surrogates. */
const storable =
  (check: Check): Check =>
  (v) =>
    check(v) ?? (UNSTORABLE.test(v as string) ? 'must not hold control characters or unpaired surrogates' : null);

const FIELDS: Record<keyof ConsentRecord, Check> = {
  schemaVersion: (v) => (v === 1 ? null : 'must be 1'),
  consentId: uuid,
  recordId: uuid,
  createdAt: time,
  updatedAt: time,
  revision: pattern(/^[A-Za-z0-9._-]{1,40}$/, 'a revision of letters, digits, ".", "_" or "-"'),
  action: oneOf('accept_all', 'reject_all', 'custom', 'withdraw', 'close', 'gpc_optout'),
  source: oneOf('banner', 'preferences', 'placeholder', 'page', 'api'),
  categories: states(1),
  services: states(0),
  language: pattern(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/, 'a BCP 47 language tag'),
  region: pattern(/^[A-Za-z0-9_-]{1,20}$/, 'a region code'),
  url: storable(pattern(/^https?:\/\/[^\s?#]+$/, 'an http(s) URL without query or fragment', 2048)),
  gpc: (v) => (typeof v == 'boolean' ? null : 'must be true or false'),
  sdkVersion: pattern(/^[0-9A-Za-z.+-]{1,40}$/, 'a version'),
  configHash: pattern(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  gpcConfirmed: (v) => (v === true ? null : 'must be true when present'),
};
const OPTIONAL = new Set(['region', 'gpcConfirmed']);

/** Null when `value` is a valid value for record field `field`, else the problem (without the field's name). */
export const fieldProblem = (field: keyof ConsentRecord, value: unknown): string | null => FIELDS[field](value);

/** Null when `value` is a valid v1 record, else the first problem, naming the field. */
export function validateRecord(value: unknown): string | null {
  if (typeof value != 'object' || value === null || Array.isArray(value)) return 'record must be a JSON object';
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !Object.hasOwn(FIELDS, k));
  if (unknown) return `${unknown} is not a field of the record`;
  for (const [field, check] of Object.entries(FIELDS)) {
    if (!Object.hasOwn(record, field)) {
      if (OPTIONAL.has(field)) continue;
      return `${field} is missing`;
    }
    const problem = check(record[field]);
    if (problem) return `${field} ${problem}`;
  }
  return null;
}

/** Type guard over `validateRecord`. */
export const isRecord = (value: unknown): value is ConsentRecord => validateRecord(value) === null;
