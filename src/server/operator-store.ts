/**
 * The operator's side of the store: listing and exporting records page by
 * page, erasing a consent id, purging old records and closing days into
 * chained digests. One set of SQL statements for PGlite and PostgreSQL.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ConsentRecord } from '../gate/reporting/record.js';
import { dayDigest, GENESIS, leafHash, utcDay, type DayDigest } from './digest.js';
import type { Sql } from './sql.js';

/** What to list or export; every field narrows, all are optional. */
export interface RecordFilter {
  /** Received at or after this time (ISO 8601). */
  from?: string;
  /** Received before this time (ISO 8601). */
  to?: string;
  action?: string;
  source?: string;
  revision?: string;
  region?: string;
  language?: string;
  consentId?: string;
}

/** A place in the listing order (time received, then record id); what a cursor holds. */
export interface RecordPosition {
  /** Time received, to the microsecond the database keeps. */
  time: string;
  recordId: string;
}

/** A record as listed and exported. */
export interface ListedRecord {
  /** When the endpoint received it (ISO 8601 UTC, milliseconds). */
  receivedAt: string;
  /** Its leaf hash (see digest.ts). */
  leaf: string;
  record: ConsentRecord;
}

export interface RecordPage {
  records: ListedRecord[];
  /** Where the next page starts, or null after the last. */
  next: RecordPosition | null;
}

/** The tombstone of an erasure: the fact, time and reason, and nothing of the records. */
export interface Erasure {
  id: string;
  /** HMAC-SHA256 of the consent id under the erasure key (see docs/endpoint.md). */
  subject: string;
  erasedAt: string;
  reason: string;
  /** How many records were erased. */
  recordCount: number;
}

/** An erased record's leaf hash, kept so its day's digest still verifies. */
export interface ErasedLeaf {
  day: string;
  leaf: string;
}

export interface ErasureResult {
  erasure: Erasure;
  /** Records deleted by this call (0 when the consent id was already erased). */
  erased: number;
  /** True when an earlier erasure's tombstone is returned and nothing was deleted. */
  alreadyErased: boolean;
}

export interface OperatorStore {
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** Up to `limit` records matching `filter`, in the order received, after `after`. */
  list(filter: RecordFilter, after: RecordPosition | null, limit: number): Promise<RecordPage>;
  /** Erases every record of `consentId`, keeping a tombstone. Idempotent. */
  erase(consentId: string, reason: string, now?: Date): Promise<ErasureResult>;
  /** Tombstones, oldest first; of one consent id when given. */
  erasures(consentId?: string): Promise<Erasure[]>;
  /** Leaf hashes of erased records received on days `fromDay` to `toDay` (inclusive). */
  erasedLeaves(fromDay: string, toDay: string): Promise<ErasedLeaf[]>;
  /** Computes and stores the digest of every ended day not yet digested; resolves with them. */
  closeDays(now?: Date): Promise<DayDigest[]>;
  /** Stored digests, oldest first, of days `fromDay` to `toDay` (inclusive) when given. */
  digests(fromDay?: string, toDay?: string): Promise<DayDigest[]>;
  /** Deletes records received before the UTC day `retainDays` days before today; digests and tombstones stay. */
  purge(retainDays: number, now?: Date): Promise<{ records: number; before: string }>;
}

/** A day is closed this long after it ends, so that a record received at 23:59:59 has committed. */
export const CLOSE_DELAY_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const DIGEST_LOCK = 0x636b6432; // "ckd2"
const FILL_BATCH = 1000;

/** Filter fields and the SQL they compare (the expressions the migration indexes). */
const COLUMNS: Record<Exclude<keyof RecordFilter, 'from' | 'to'>, string> = {
  action: 'action',
  source: "(record->>'source')",
  revision: "(record->>'revision')",
  region: "(record->>'region')",
  language: "(record->>'language')",
  consentId: 'consent_id',
};

const MICROSECONDS = `to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const iso = (value: unknown): string => new Date(value as string | Date).toISOString();
const parseRecord = (value: unknown) => (typeof value == 'string' ? JSON.parse(value) : value) as ConsentRecord;
const dayStart = (day: string) => `${day}T00:00:00.000Z`;
const addDays = (day: string, days: number) => utcDay(new Date(Date.parse(dayStart(day)) + days * DAY_MS));

/** Stores the leaf hash of records stored before leaves were (`where` selects them; `$1` is `value`). */
async function fillLeaves(query: Sql['query'], where: string, params: unknown[]): Promise<void> {
  for (;;) {
    const { rows } = await query(
      `SELECT record_id::text AS record_id, record, received_at FROM consent_records WHERE leaf_hash IS NULL AND ${where} LIMIT ${FILL_BATCH}`,
      params,
    );
    for (const row of rows)
      await query('UPDATE consent_records SET leaf_hash = $1 WHERE record_id = $2', [leafHash(iso(row.received_at), parseRecord(row.record)), row.record_id]);
    if (rows.length < FILL_BATCH) return;
  }
}

const toDigest = (row: Record<string, unknown>): DayDigest => ({
  day: String(row.day),
  count: Number(row.record_count),
  previous: String(row.previous),
  digest: String(row.digest),
  purgedAt: row.purged_at == null ? null : iso(row.purged_at),
});
const toErasure = (row: Record<string, unknown>): Erasure => ({
  id: String(row.id),
  subject: String(row.subject),
  erasedAt: iso(row.erased_at),
  reason: String(row.reason),
  recordCount: Number(row.record_count),
});

/**
 * The operator store over `sql`. `erasureKey` keys the tombstones' consent-id hash; without
 * one, a random key is made once and kept in the database (table consentkit_settings).
 */
export function operatorStore(sql: Sql, erasureKey?: string): OperatorStore {
  let key: Promise<string> | undefined;
  const subjectKey = () =>
    (key ??= erasureKey
      ? Promise.resolve(erasureKey)
      : sql
          .query(
            `INSERT INTO consentkit_settings (name, value) VALUES ('erasure_key', $1) ON CONFLICT (name) DO NOTHING`,
            [randomBytes(32).toString('hex')],
          )
          .then(() => sql.query(`SELECT value FROM consentkit_settings WHERE name = 'erasure_key'`))
          .then(({ rows }) => String(rows[0].value)));
  const subjectOf = async (consentId: string) => createHmac('sha256', await subjectKey()).update(consentId).digest('hex');

  const erasureColumns = 'id::text AS id, subject, erased_at, reason, record_count';
  const digestColumns = 'day::text AS day, record_count, previous, digest, purged_at';

  return {
    ping: async () => {
      await sql.query('SELECT 1');
    },

    list: async (filter, after, limit) => {
      const params: unknown[] = [];
      const where: string[] = [];
      const compare = (expression: string, operator: string, value: unknown, type = '') => {
        params.push(value);
        where.push(`${expression} ${operator} $${params.length}${type}`);
      };
      if (filter.from) compare('received_at', '>=', filter.from, '::timestamptz');
      if (filter.to) compare('received_at', '<', filter.to, '::timestamptz');
      for (const [field, column] of Object.entries(COLUMNS)) {
        const value = filter[field as keyof typeof COLUMNS];
        if (value !== undefined) compare(column, '=', value, field == 'consentId' ? '::uuid' : '');
      }
      if (after) {
        params.push(after.time, after.recordId);
        where.push(`(received_at, record_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
      }
      params.push(limit + 1);
      const { rows } = await sql.query(
        `SELECT record, leaf_hash, received_at, ${MICROSECONDS} AS position_time, record_id::text AS record_id
         FROM consent_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY received_at, record_id LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit);
      const records = page.map((row) => {
        const receivedAt = iso(row.received_at);
        const record = parseRecord(row.record);
        return { receivedAt, leaf: typeof row.leaf_hash == 'string' ? row.leaf_hash : leafHash(receivedAt, record), record };
      });
      const last = page.at(-1);
      return { records, next: rows.length > limit && last ? { time: String(last.position_time), recordId: String(last.record_id) } : null };
    },

    erase: async (consentId, reason, now = new Date()) => {
      const subject = await subjectOf(consentId);
      return sql.transaction(async (query) => {
        await fillLeaves(query, 'consent_id = $1', [consentId]);
        const { rows } = await query('SELECT leaf_hash, received_at FROM consent_records WHERE consent_id = $1', [consentId]);
        if (!rows.length) {
          const earlier = await query(`SELECT ${erasureColumns} FROM consent_erasures WHERE subject = $1 ORDER BY erased_at LIMIT 1`, [subject]);
          if (earlier.rows.length) return { erasure: toErasure(earlier.rows[0]), erased: 0, alreadyErased: true };
        }
        const id = randomUUID();
        const inserted = await query(
          `INSERT INTO consent_erasures (id, subject, erased_at, reason, record_count) VALUES ($1, $2, $3, $4, $5) RETURNING ${erasureColumns}`,
          [id, subject, now.toISOString(), reason, rows.length],
        );
        for (const row of rows)
          await query('INSERT INTO consent_erased_leaves (erasure_id, day, leaf_hash) VALUES ($1, $2::date, $3)', [id, utcDay(iso(row.received_at)), row.leaf_hash]);
        await query('DELETE FROM consent_records WHERE consent_id = $1', [consentId]);
        return { erasure: toErasure(inserted.rows[0]), erased: rows.length, alreadyErased: false };
      });
    },

    erasures: async (consentId) => {
      const { rows } = consentId
        ? await sql.query(`SELECT ${erasureColumns} FROM consent_erasures WHERE subject = $1 ORDER BY erased_at, id`, [await subjectOf(consentId)])
        : await sql.query(`SELECT ${erasureColumns} FROM consent_erasures ORDER BY erased_at, id`);
      return rows.map(toErasure);
    },

    erasedLeaves: async (fromDay, toDay) => {
      const { rows } = await sql.query(
        'SELECT day::text AS day, leaf_hash FROM consent_erased_leaves WHERE day >= $1::date AND day <= $2::date ORDER BY day, leaf_hash',
        [fromDay, toDay],
      );
      return rows.map((row) => ({ day: String(row.day), leaf: String(row.leaf_hash) }));
    },

    closeDays: (now = new Date()) =>
      sql.transaction(async (query) => {
        // One instance at a time: several sharing a PostgreSQL database close each day once.
        await query('SELECT pg_advisory_xact_lock($1)', [DIGEST_LOCK]);
        const last = (await query(`SELECT ${digestColumns} FROM consent_digests ORDER BY day DESC LIMIT 1`)).rows.at(0);
        let day: string;
        let previous = GENESIS;
        if (last) {
          day = addDays(String(last.day), 1);
          previous = String(last.digest);
        } else {
          // The first day with a record, or with an erased one (all of a day's records may be erased before it closes).
          const first = (await query('SELECT min(received_at) AS t FROM consent_records')).rows[0].t;
          const firstErased = (await query('SELECT min(day)::text AS day FROM consent_erased_leaves')).rows[0].day;
          const days = [first == null ? null : utcDay(iso(first)), typeof firstErased == 'string' ? firstErased : null].filter((d): d is string => d !== null);
          if (!days.length) return [];
          day = days.sort()[0];
        }
        const lastClosable = utcDay(new Date(now.getTime() - CLOSE_DELAY_MS - DAY_MS));
        const closed: DayDigest[] = [];
        for (; day <= lastClosable; day = addDays(day, 1)) {
          const range = [dayStart(day), dayStart(addDays(day, 1))];
          await fillLeaves(query, 'received_at >= $1::timestamptz AND received_at < $2::timestamptz', range);
          const { rows } = await query(
            `SELECT count(*) AS n,
                    encode(sha256(convert_to(coalesce(string_agg(leaf, E'\\n' ORDER BY leaf COLLATE "C"), ''), 'UTF8')), 'hex') AS leaves
             FROM (SELECT leaf_hash AS leaf FROM consent_records WHERE received_at >= $1::timestamptz AND received_at < $2::timestamptz
                   UNION ALL SELECT leaf_hash FROM consent_erased_leaves WHERE day = $3::date) AS day_leaves`,
            [...range, day],
          );
          const count = Number(rows[0].n);
          const digest = dayDigest(day, count, previous, String(rows[0].leaves));
          await query('INSERT INTO consent_digests (day, record_count, previous, digest, computed_at) VALUES ($1::date, $2, $3, $4, $5)', [
            day,
            count,
            previous,
            digest,
            now.toISOString(),
          ]);
          closed.push({ day, count, previous, digest, purgedAt: null });
          previous = digest;
        }
        return closed;
      }),

    digests: async (fromDay = '0001-01-01', toDay = '9999-12-31') => {
      const { rows } = await sql.query(`SELECT ${digestColumns} FROM consent_digests WHERE day >= $1::date AND day <= $2::date ORDER BY day`, [
        fromDay,
        toDay,
      ]);
      return rows.map(toDigest);
    },

    purge: async (retainDays, now = new Date()) => {
      const before = dayStart(addDays(utcDay(now), -retainDays));
      return sql.transaction(async (query) => {
        const { rows } = await query('WITH deleted AS (DELETE FROM consent_records WHERE received_at < $1::timestamptz RETURNING 1) SELECT count(*) AS n FROM deleted', [
          before,
        ]);
        await query('UPDATE consent_digests SET purged_at = $1 WHERE day < $2::date AND purged_at IS NULL', [now.toISOString(), before.slice(0, 10)]);
        return { records: Number(rows[0].n), before };
      });
    },
  };
}
