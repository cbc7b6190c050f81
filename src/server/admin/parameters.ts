/**
 * The query parameters of the dashboard's API, checked: a bad one is an error
 * naming it (the route answers 400), never a database error.
 */
import type { DayRange, Slice } from './queries.js';

export class ParameterError extends Error {}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** The longest range the daily routes answer, in days. */
export const MAX_DAYS = 731;
/** How many days the daily routes answer when `from` is not given. */
export const DEFAULT_DAYS = 60;
/** The most records `/admin/api/records` returns at once. */
export const MAX_LIMIT = 200;

const SLICE_PATTERNS: Record<keyof Slice, [RegExp, string]> = {
  // '' (empty) is a slice too: the records sent without a region.
  region: [/^[A-Za-z0-9_-]{0,20}$/, 'a region code (letters, digits, _ or -), or empty for records without one'],
  language: [/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/, 'a BCP 47 language tag'],
  revision: [/^[A-Za-z0-9._-]{1,40}$/, 'a revision (letters, digits, ".", "_" or "-")'],
};

/** The one value of `name`, refusing a parameter given twice. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new ParameterError(`${name} is given more than once`);
  return values[0];
}

/** Refuses parameters outside `allowed`, naming the first one. */
function onlyKnown(params: URLSearchParams, allowed: string[]): void {
  for (const name of params.keys())
    if (!allowed.includes(name))
      throw new ParameterError(`${name.slice(0, 40)} is not a parameter of this route (${allowed.length ? `it takes ${allowed.join(', ')}` : 'it takes none'})`);
}

/** A calendar day `YYYY-MM-DD` that exists, as UTC midnight in ms. */
function dayValue(name: string, value: string): number {
  const time = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) != value) throw new ParameterError(`${name} must be a day that exists, as YYYY-MM-DD (got "${value}")`);
  return time;
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

function sliceOf(params: URLSearchParams): Slice {
  const slice: Slice = {};
  for (const [name, [pattern, what]] of Object.entries(SLICE_PATTERNS) as [keyof Slice, [RegExp, string]][]) {
    const value = single(params, name);
    if (value === undefined) continue;
    if (!pattern.test(value)) throw new ParameterError(`${name} must be ${what} (got "${value.slice(0, 60)}")`);
    slice[name] = value;
  }
  return slice;
}

/** `from`, `to` (default: the last 60 days up to today, UTC) and the slice. */
export function dayRangeOf(params: URLSearchParams, today = new Date()): DayRange {
  onlyKnown(params, ['from', 'to', 'region', 'language', 'revision']);
  const toText = single(params, 'to');
  const fromText = single(params, 'from');
  const to = toText === undefined ? Date.parse(`${isoDay(today.getTime())}T00:00:00Z`) : dayValue('to', toText);
  const from = fromText === undefined ? to - (DEFAULT_DAYS - 1) * DAY_MS : dayValue('from', fromText);
  if (from > to) throw new ParameterError(`from (${isoDay(from)}) must not be after to (${isoDay(to)})`);
  if ((to - from) / DAY_MS + 1 > MAX_DAYS) throw new ParameterError(`from and to must span at most ${MAX_DAYS} days`);
  return { from: isoDay(from), to: isoDay(to), ...sliceOf(params) };
}

/** The slice and `limit` (1 to 200, default 20) of the latest-records route. */
export function latestOf(params: URLSearchParams): { slice: Slice; limit: number } {
  onlyKnown(params, ['limit', 'region', 'language', 'revision']);
  const limitText = single(params, 'limit') ?? '20';
  if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_LIMIT)
    throw new ParameterError(`limit must be a whole number from 1 to ${MAX_LIMIT} (got "${limitText.slice(0, 20)}")`);
  return { slice: sliceOf(params), limit: Number(limitText) };
}

/** Refuses any parameter (for routes that take none). */
export const noParameters = (params: URLSearchParams) => {
  onlyKnown(params, []);
};
