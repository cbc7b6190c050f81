/**
 * The operator routes: list and search, export, digests, erasure tombstones
 * and erasure. Query parameters are checked here, each bad one answered 400
 * naming it, before any query reaches the database.
 */
import type { ConsentRecord } from '../gate/reporting/record.js';
import { streamExport } from './export.js';
import { HttpError, readBody, type Route, type RouteContext } from './http.js';
import type { Metrics } from './metrics.js';
import type { OperatorStore, RecordFilter, RecordPosition } from './operator-store.js';
import type { ConsentStore } from './storage.js';
import { fieldProblem } from './validate.js';

/** Records per page of `GET …/records` unless `limit` says otherwise, and the most it may say. */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Erasure reasons: a code or a ticket reference. No "@", so an e-mail address cannot be one. */
const REASON = /^[A-Za-z0-9 ._:/#()-]{1,200}$/;

/** Filter parameters and the record field each is checked as. */
const FIELD_PARAMETERS: Record<Exclude<keyof RecordFilter, 'from' | 'to'>, keyof ConsentRecord> = {
  action: 'action',
  source: 'source',
  revision: 'revision',
  region: 'region',
  language: 'language',
  consentId: 'consentId',
};

const bad = (parameter: string, problem: string) => new HttpError(400, `${parameter} ${problem}`);

/** Each parameter once, and only known ones. */
function parameters(url: URL, known: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!known.includes(name)) throw new HttpError(400, `${name} is not a parameter of this route (known: ${known.join(', ')})`);
    if (values.has(name)) throw bad(name, 'is given more than once');
    values.set(name, value);
  }
  return values;
}

/** An ISO 8601 time or day from parameter `name`, as a time the database reads. */
function time(name: string, value: string): string {
  const withZone = DAY.test(value) ? `${value}T00:00:00Z` : value;
  if (!TIME.test(value) || Number.isNaN(Date.parse(withZone)) || !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])/.test(value))
    throw bad(name, 'must be an ISO 8601 day or time (2026-01-31 or 2026-01-31T12:00:00Z)');
  return new Date(withZone).toISOString();
}

/** The record filter in the query string. */
export function parseFilter(values: Map<string, string>): RecordFilter {
  const filter: RecordFilter = {};
  const from = values.get('from');
  const to = values.get('to');
  if (from !== undefined) filter.from = time('from', from);
  if (to !== undefined) filter.to = time('to', to);
  if (filter.from && filter.to && filter.from >= filter.to) throw bad('to', 'must be later than from');
  for (const [parameter, field] of Object.entries(FIELD_PARAMETERS)) {
    const value = values.get(parameter);
    if (value === undefined) continue;
    const problem = fieldProblem(field, value);
    if (problem) throw bad(parameter, problem);
    filter[parameter as keyof typeof FIELD_PARAMETERS] = value;
  }
  return filter;
}
const FILTER_PARAMETERS = ['from', 'to', ...Object.keys(FIELD_PARAMETERS)];

/** Cursors are opaque to clients: base64url of the position. */
export const encodeCursor = (position: RecordPosition): string => Buffer.from(JSON.stringify([position.time, position.recordId])).toString('base64url');
function decodeCursor(cursor: string): RecordPosition {
  try {
    const [positionTime, recordId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof positionTime == 'string' && TIME.test(positionTime) && typeof recordId == 'string' && !fieldProblem('recordId', recordId))
      return { time: positionTime, recordId };
  } catch {
    // answered below
  }
  throw bad('cursor', 'is not a cursor this endpoint gave (pass nextCursor as it is)');
}

function dayParameter(values: Map<string, string>, name: string): string | undefined {
  const value = values.get(name);
  if (value !== undefined && (!DAY.test(value) || time(name, value).slice(0, 10) != value)) throw bad(name, 'must be a day (YYYY-MM-DD)');
  return value;
}

/** The operator routes under `base`. */
export function operatorRoutes(base: string, store: () => Promise<ConsentStore>, metrics: Metrics): Route[] {
  const operator = async (): Promise<OperatorStore> => {
    const opened = await store();
    if (!opened.operator) throw new HttpError(501, 'this store has no operator queries (use a store from openStore())');
    return opened.operator;
  };
  return [
    {
      name: 'records',
      method: 'GET',
      path: `${base}/records`,
      scope: 'read',
      run: async ({ url, send }: RouteContext) => {
        const values = parameters(url, [...FILTER_PARAMETERS, 'limit', 'cursor']);
        const filter = parseFilter(values);
        const limitText = values.get('limit') ?? String(DEFAULT_PAGE);
        if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_PAGE) throw bad('limit', `must be a whole number from 1 to ${MAX_PAGE}`);
        const cursor = values.get('cursor');
        const page = await (await operator()).list(filter, cursor === undefined ? null : decodeCursor(cursor), Number(limitText));
        send(200, {
          records: page.records.map(({ receivedAt, record }) => ({ receivedAt, record })),
          nextCursor: page.next ? encodeCursor(page.next) : null,
        });
      },
    },
    {
      name: 'export',
      method: 'GET',
      path: `${base}/export`,
      scope: 'read',
      run: async ({ url, res, req }: RouteContext) => {
        const values = parameters(url, [...FILTER_PARAMETERS, 'format']);
        const filter = parseFilter(values);
        const format = values.get('format') ?? 'ndjson';
        if (format != 'ndjson' && format != 'csv') throw bad('format', 'must be ndjson or csv');
        await streamExport(req, res, await operator(), filter, format);
      },
    },
    {
      name: 'digests',
      method: 'GET',
      path: `${base}/digests`,
      scope: 'read',
      run: async ({ url, send }: RouteContext) => {
        const values = parameters(url, ['from', 'to']);
        send(200, { digests: await (await operator()).digests(dayParameter(values, 'from'), dayParameter(values, 'to')) });
      },
    },
    {
      name: 'erasures',
      method: 'GET',
      path: `${base}/erasures`,
      scope: 'read',
      run: async ({ url, send }: RouteContext) => {
        const values = parameters(url, ['consentId']);
        const consentId = values.get('consentId');
        const problem = consentId === undefined ? null : fieldProblem('consentId', consentId);
        if (problem) throw bad('consentId', problem);
        send(200, { erasures: await (await operator()).erasures(consentId) });
      },
    },
    {
      name: 'erase',
      method: 'DELETE',
      path: `${base}/:consentId`,
      scope: 'admin',
      run: async ({ req, consentId, send }: RouteContext) => {
        if (fieldProblem('consentId', consentId)) throw bad('consent id', 'must be a lowercase UUID');
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch (e) {
          if (e instanceof HttpError) throw e;
          throw new HttpError(400, 'body must be JSON: {"reason": "…"}');
        }
        const reason = (body as { reason?: unknown } | null)?.reason;
        if (typeof reason != 'string' || !REASON.test(reason))
          throw bad('reason', 'must be 1 to 200 letters, digits, spaces or . _ : / # ( ) - (a code or ticket reference, nothing personal)');
        const result = await (await operator()).erase(consentId, reason);
        if (!result.alreadyErased) metrics.erasures++;
        send(200, result);
      },
    },
  ];
}
