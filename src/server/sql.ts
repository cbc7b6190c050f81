/**
 * What the store's modules share about the database: the surface both drivers
 * give (PGlite and a `pg` pool), and a stored record as a row holds it.
 */
import type { ConsentRecord } from '../gate/reporting/record.js';

/** A stored record with the time the endpoint received it. */
export interface StoredRecord {
  receivedAt: string;
  record: ConsentRecord;
}

/** The smallest common surface of PGlite and a `pg` pool. */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Runs `fn` inside one transaction on one connection. */
  transaction<T>(fn: (q: Sql['query']) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A row of `consent_records` (`record`, `received_at`) as the stored record it holds. */
export const storedRecord = (row: Record<string, unknown>): StoredRecord => ({
  receivedAt: new Date(row.received_at as string | Date).toISOString(),
  record: (typeof row.record == 'string' ? JSON.parse(row.record) : row.record) as ConsentRecord,
});
