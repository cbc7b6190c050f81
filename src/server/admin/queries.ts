/**
 * The dashboard's read-only queries. Charts read the daily aggregates
 * (src/server/admin/aggregates.ts), never the records, so they answer in
 * milliseconds at any number of records. Only the latest-records table reads
 * `consent_records`: the aggregates first say from which day on the slice holds
 * enough records, then the `updated_at` index reads just those days.
 */
import { storedRecord, type StoredRecord } from '../sql.js';

/** What the dashboard queries need of a database connection. */
export type Query = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Narrows every query to one region, language and/or revision; unset means all. */
export interface Slice {
  /** Region code, or '' for records sent without one. */
  region?: string;
  language?: string;
  revision?: string;
}

/** A range of days (UTC, `YYYY-MM-DD`, both included) and a slice. */
export interface DayRange extends Slice {
  from: string;
  to: string;
}

/** One day of one category: how many records granted it and how many refused it. */
export interface CategoryDay {
  day: string;
  category: string;
  granted: number;
  refused: number;
}

/** One day of one action: how many records took it. */
export interface ActionDay {
  day: string;
  action: string;
  records: number;
}

/** The values the filters offer, and the days with records. */
export interface FilterValues {
  regions: string[];
  languages: string[];
  revisions: string[];
  categories: string[];
  firstDay: string | null;
  lastDay: string | null;
}

/** The dashboard's queries, bound to a store's database. */
export interface DashboardQueries {
  categoriesByDay(range: DayRange): Promise<CategoryDay[]>;
  actionsByDay(range: DayRange): Promise<ActionDay[]>;
  filterValues(): Promise<FilterValues>;
  /** The `limit` most recent decisions (by `updatedAt`) in the slice, newest first. */
  latestRecords(slice: Slice, limit: number): Promise<StoredRecord[]>;
}

/** `$n` conditions for the slice's set fields on columns named as in the aggregates. */
function sliceConditions(slice: Slice, columns: Record<keyof Slice, string>, params: unknown[]): string {
  const conditions: string[] = [];
  for (const field of ['region', 'language', 'revision'] as const) {
    const value = slice[field];
    if (value === undefined) continue;
    params.push(value);
    conditions.push(`${columns[field]} = $${params.length}`);
  }
  return conditions.map((condition) => ` AND ${condition}`).join('');
}

const AGGREGATE_COLUMNS = { region: 'region', language: 'language', revision: 'revision' };
const RECORD_COLUMNS = { region: `coalesce(record->>'region', '')`, language: `record->>'language'`, revision: `record->>'revision'` };

/**
 * The distinct values of an aggregate column, smallest first, by walking its index
 * (FILTER_VALUES_MIGRATION in aggregates.ts) from one value to the next: one index lookup
 * per value, however many rows hold it. `GROUP BY` or `DISTINCT` would read every row of
 * the aggregates, a third of a second at a million records.
 */
const distinctValues = (name: string, table: string, column: string) => `
  ${name}(value) AS (
    SELECT min(${column}) FROM ${table}
    UNION ALL
    SELECT (SELECT min(${column}) FROM ${table} WHERE ${column} > ${name}.value) FROM ${name} WHERE ${name}.value IS NOT NULL
  )`;

/** Every region, language, revision and category in the aggregates, as rows of (dimension, value). */
const FILTER_VALUES = `
  WITH RECURSIVE ${distinctValues('regions', 'consent_daily_actions', 'region')},
    ${distinctValues('languages', 'consent_daily_actions', 'language')},
    ${distinctValues('revisions', 'consent_daily_actions', 'revision')},
    ${distinctValues('categories', 'consent_daily_categories', 'category')}
  SELECT dimension, value FROM (
    SELECT 'region' AS dimension, value FROM regions UNION ALL
    SELECT 'language', value FROM languages UNION ALL
    SELECT 'revision', value FROM revisions UNION ALL
    SELECT 'category', value FROM categories
  ) AS present WHERE value IS NOT NULL ORDER BY dimension, value`;

/** The queries over `query`'s database (PGlite or a `pg` pool). */
export function dashboardQueries(query: Query): DashboardQueries {
  const inRange = (range: DayRange, table: string, select: string, groupBy: string) => {
    const params: unknown[] = [range.from, range.to];
    return query(
      `SELECT day::text AS day, ${select} FROM ${table}
        WHERE day BETWEEN $1::date AND $2::date${sliceConditions(range, AGGREGATE_COLUMNS, params)}
        GROUP BY day, ${groupBy} ORDER BY day, ${groupBy}`,
      params,
    );
  };
  return {
    categoriesByDay: async (range) =>
      (await inRange(range, 'consent_daily_categories', 'category, sum(granted) AS granted, sum(refused) AS refused', 'category')).rows.map(
        (row) => ({ day: String(row.day), category: String(row.category), granted: Number(row.granted), refused: Number(row.refused) }),
      ),
    actionsByDay: async (range) =>
      (await inRange(range, 'consent_daily_actions', 'action, sum(records) AS records', 'action')).rows.map((row) => ({
        day: String(row.day),
        action: String(row.action),
        records: Number(row.records),
      })),
    filterValues: async () => {
      const [present, days] = await Promise.all([
        query(FILTER_VALUES),
        query('SELECT min(day)::text AS first, max(day)::text AS last FROM consent_daily_actions'),
      ]);
      const values = (dimension: string) => present.rows.filter((row) => row.dimension == dimension).map((row) => String(row.value));
      const { first, last } = days.rows[0];
      return {
        regions: values('region'),
        languages: values('language'),
        revisions: values('revision'),
        categories: values('category'),
        firstDay: (first as string | null) ?? null,
        lastDay: (last as string | null) ?? null,
      };
    },
    latestRecords: async (slice, limit) => {
      // The latest day from which on the slice holds `limit` records (none: it holds fewer,
      // read them all). Without it, a rare slice would be looked for through every record.
      const dayParams: unknown[] = [limit];
      const { rows: days } = await query(
        `SELECT day::text AS day FROM (
           SELECT day, sum(sum(records)) OVER (ORDER BY day DESC) AS running FROM consent_daily_actions
            WHERE true${sliceConditions(slice, AGGREGATE_COLUMNS, dayParams)} GROUP BY day) AS totals
          WHERE running >= $1 ORDER BY day DESC LIMIT 1`,
        dayParams,
      );
      const params: unknown[] = [limit, days.length ? days[0].day : '-infinity'];
      const { rows } = await query(
        `SELECT record, received_at FROM consent_records
          WHERE updated_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'${sliceConditions(slice, RECORD_COLUMNS, params)}
          ORDER BY updated_at DESC, record_id DESC LIMIT $1`,
        params,
      );
      return rows.map(storedRecord);
    },
  };
}
