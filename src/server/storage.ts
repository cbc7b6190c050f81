/**
 * Where records are kept: one SQL schema and one list of migrations, run by
 * either driver. PGlite (Postgres in WebAssembly, persisted to a folder)
 * needs no server; PostgreSQL via `pg` lets many stateless endpoint
 * instances share one database. Both are optional peer dependencies,
 * loaded only when used.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConsentRecord } from '../gate/reporting/record.js';
import { AGGREGATES_MIGRATION, FILTER_VALUES_MIGRATION } from './admin/aggregates.js';
import { dashboardQueries, type DashboardQueries } from './admin/queries.js';
import { leafHash } from './digest.js';
import { lockDataDir } from './lock.js';
import { operatorStore, type OperatorStore } from './operator-store.js';
import { storedRecord, type Sql, type StoredRecord } from './sql.js';
import { validateRecord } from './validate.js';

export type { Sql, StoredRecord };

/** What the endpoint needs from a database. */
export interface ConsentStore {
  /**
   * Stores a record; resolves true once committed, false if its recordId was already stored.
   * `receivedAt` (default now) is for imports that keep the time another system received it.
   */
  insert(record: ConsentRecord, receivedAt?: Date): Promise<boolean>;
  /** Every record of one consent id, oldest first. */
  history(consentId: string): Promise<StoredRecord[]>;
  /** Number of stored records (for tests and monitoring). */
  count(): Promise<number>;
  close(): Promise<void>;
  /**
   * Listing, export, erasure, retention and digests (`src/server/operator-store.ts`). A store from
   * `openStore()` has it; a store of your own may leave it out, and the operator routes then answer 501.
   */
  operator?: OperatorStore;
  /**
   * Stores records with the times they were received (demo data, restores), many per
   * statement; skips recordIds already stored. Resolves to how many were new. Throws,
   * storing nothing, when one is not a valid record. (Optional: a store of your own may
   * leave it out.)
   */
  importRecords?(records: StoredRecord[]): Promise<number>;
  /**
   * Recomputes the daily aggregates (src/server/admin/aggregates.ts) from the records.
   * Triggers keep them right through inserts and deletes; call this after writing
   * `consent_records` with the triggers disabled, or to check or repair them.
   */
  rebuildAggregates?(): Promise<void>;
  /** The operator dashboard's queries (src/server/admin/queries.ts). */
  dashboard?: DashboardQueries;
}

/** Where to store: a PostgreSQL URL, or a folder for PGlite (`memory://` keeps nothing). */
export interface StoreOptions {
  /** `postgres://user:pass@host:port/db`: use PostgreSQL through `pg`. */
  url?: string;
  /**
   * PGlite data folder (default `./data/consentkit`) when no `url` is given. One process at a
   * time: a second one (or a second open in this process) is refused while `<folder>.lock` names
   * a running owner.
   */
  dataDir?: string;
  /**
   * Key of the HMAC that stands for a consent id in erasure tombstones. Without one, a random key
   * is made on first use and kept in the database (see docs/endpoint.md, "Erasure").
   */
  erasureKey?: string;
}

/**
 * Applied in order, each once, inside a transaction holding an advisory lock,
 * so several instances starting together migrate the database only once.
 * Never edit a shipped migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE consent_records (
     record_id   uuid PRIMARY KEY,
     consent_id  uuid NOT NULL,
     created_at  timestamptz NOT NULL,
     updated_at  timestamptz NOT NULL,
     action      text NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now(),
     record      jsonb NOT NULL
   );
   CREATE INDEX consent_records_by_consent ON consent_records (consent_id, updated_at, received_at);`,
  // Operator search (src/server/operator-store.ts): every filter with the listing order, and the leaf hashes of the daily digests.
  `ALTER TABLE consent_records ADD COLUMN leaf_hash text;
   CREATE INDEX consent_records_by_time ON consent_records (received_at, record_id);
   CREATE INDEX consent_records_by_action ON consent_records (action, received_at, record_id);
   CREATE INDEX consent_records_by_source ON consent_records ((record->>'source'), received_at, record_id);
   CREATE INDEX consent_records_by_revision ON consent_records ((record->>'revision'), received_at, record_id);
   CREATE INDEX consent_records_by_region ON consent_records ((record->>'region'), received_at, record_id);
   CREATE INDEX consent_records_by_language ON consent_records ((record->>'language'), received_at, record_id);`,
  // Erasure tombstones (no consent id: its keyed hash), erased records' leaf hashes, daily digests.
  `CREATE TABLE consent_erasures (
     id           uuid PRIMARY KEY,
     subject      text NOT NULL,
     erased_at    timestamptz NOT NULL,
     reason       text NOT NULL,
     record_count integer NOT NULL
   );
   CREATE INDEX consent_erasures_by_subject ON consent_erasures (subject);
   CREATE TABLE consent_erased_leaves (
     erasure_id uuid NOT NULL REFERENCES consent_erasures (id),
     day        date NOT NULL,
     leaf_hash  text NOT NULL
   );
   CREATE INDEX consent_erased_leaves_by_day ON consent_erased_leaves (day);
   CREATE TABLE consent_digests (
     day          date PRIMARY KEY,
     record_count integer NOT NULL,
     previous     text NOT NULL,
     digest       text NOT NULL,
     computed_at  timestamptz NOT NULL,
     purged_at    timestamptz
   );
   CREATE TABLE consentkit_settings (name text PRIMARY KEY, value text NOT NULL);`,
  AGGREGATES_MIGRATION,
  // The dashboard's filter values: an index per filter column of the aggregates.
  FILTER_VALUES_MIGRATION,
];
const LOCK = 0x636b7231; // "ckr1": any constant the site's other code is unlikely to use

/**
 * A migration's statements, one by one: split where a `;` ends a line, except
 * inside `$$ … $$` (function bodies).
 */
export function migrationStatements(migration: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const [i, part] of migration.split('$$').entries()) {
    if (i % 2) {
      current += `$$${part}$$`;
      continue;
    }
    const [first, ...rest] = part.split(/;\s*(?:\n|$)/);
    current += first;
    for (const next of rest) {
      statements.push(current);
      current = next;
    }
  }
  statements.push(current);
  return statements.filter((statement) => statement.trim());
}

async function migrate(sql: Sql): Promise<void> {
  await sql.transaction(async (q) => {
    await q('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await q('CREATE TABLE IF NOT EXISTS consentkit_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await q('SELECT coalesce(max(version), 0) AS v FROM consentkit_migrations');
    for (let v = Number(rows[0].v) + 1; v <= MIGRATIONS.length; v++) {
      // Statements one by one: the extended protocol (used for parameters) takes one at a time.
      for (const statement of migrationStatements(MIGRATIONS[v - 1])) await q(statement);
      await q('INSERT INTO consentkit_migrations (version) VALUES ($1)', [v]);
    }
  });
}

async function openPglite(dataDir: string): Promise<Sql> {
  const { PGlite } = await import('@electric-sql/pglite');
  let unlock = () => Promise.resolve();
  if (!dataDir.includes('://')) {
    // PGlite creates its own folder but not the ones above it (`./data/` on a fresh checkout).
    await mkdir(dirname(dataDir), { recursive: true });
    // Two processes on one folder lose records: the second is refused (src/server/lock.ts).
    unlock = await lockDataDir(dataDir);
  }
  let db: InstanceType<typeof PGlite>;
  try {
    // relaxedDurability stays off: each query resolves only after its writes reached the files.
    db = await PGlite.create({ dataDir, relaxedDurability: false });
  } catch (e) {
    await unlock();
    throw e;
  }
  const query: Sql['query'] = (text, params) => db.query<Record<string, unknown>>(text, params);
  return {
    query,
    transaction: (fn) => db.transaction((tx) => fn((text, params) => tx.query<Record<string, unknown>>(text, params))),
    close: () => db.close().finally(unlock),
  };
}

async function openPostgres(url: string): Promise<Sql> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  return {
    query: (text, params) => pool.query(text, params),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn((text, params) => client.query(text, params));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** A record to import with its receive time in the form insert() stores, and its leaf hash over that. */
const withLeaf = ({ record, receivedAt }: StoredRecord) => {
  const at = new Date(receivedAt).toISOString();
  return { record, receivedAt: at, leaf: leafHash(at, record) };
};

/** Records a statement of `importRecords` carries at the most (a few MB of JSON). */
const IMPORT_BATCH = 2000;

/** Opens (and migrates) the store for `options`. */
export async function openStore(options: StoreOptions = {}): Promise<ConsentStore> {
  const sql = options.url ? await openPostgres(options.url) : await openPglite(options.dataDir ?? './data/consentkit');
  try {
    await migrate(sql);
  } catch (e) {
    await sql.close().catch(() => undefined);
    throw e;
  }
  return {
    insert: async (r, at = new Date()) => {
      // The time received is set here, to the millisecond, so that the leaf hash covers it as exported.
      const receivedAt = at.toISOString();
      const { rows } = await sql.query(
        `INSERT INTO consent_records (record_id, consent_id, created_at, updated_at, action, record, received_at, leaf_hash)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
         ON CONFLICT (record_id) DO NOTHING RETURNING record_id`,
        [r.recordId, r.consentId, r.createdAt, r.updatedAt, r.action, JSON.stringify(r), receivedAt, leafHash(receivedAt, r)],
      );
      return rows.length == 1;
    },
    history: async (consentId) => {
      const { rows } = await sql.query(
        `SELECT record, received_at FROM consent_records WHERE consent_id = $1
         ORDER BY updated_at, received_at, record_id`,
        [consentId],
      );
      return rows.map(storedRecord);
    },
    importRecords: async (records) => {
      records.forEach(({ record, receivedAt }, i) => {
        const problem = validateRecord(record) ?? (Number.isNaN(Date.parse(receivedAt)) ? 'receivedAt must be a time' : null);
        if (problem) throw new TypeError(`records[${i}]: ${problem}`);
      });
      return sql.transaction(async (q) => {
        let added = 0;
        for (let start = 0; start < records.length; start += IMPORT_BATCH) {
          const { rows } = await q(
            `INSERT INTO consent_records (record_id, consent_id, created_at, updated_at, action, received_at, record, leaf_hash)
             SELECT (item->'record'->>'recordId')::uuid, (item->'record'->>'consentId')::uuid, (item->'record'->>'createdAt')::timestamptz,
                    (item->'record'->>'updatedAt')::timestamptz, item->'record'->>'action', (item->>'receivedAt')::timestamptz, item->'record',
                    item->>'leaf'
               FROM jsonb_array_elements($1::jsonb) AS item
             ON CONFLICT (record_id) DO NOTHING RETURNING record_id`,
            // Each with its leaf hash, as insert() stores it: the digests need no second pass over a large import.
            [JSON.stringify(records.slice(start, start + IMPORT_BATCH).map(withLeaf))],
          );
          added += rows.length;
        }
        return added;
      });
    },
    rebuildAggregates: async () => {
      await sql.query('SELECT consentkit_rebuild_aggregates()');
    },
    dashboard: dashboardQueries((text, params) => sql.query(text, params)),
    count: async () => Number((await sql.query('SELECT count(*) AS n FROM consent_records')).rows[0].n),
    close: () => sql.close(),
    operator: operatorStore(sql, options.erasureKey),
  };
}
