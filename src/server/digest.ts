/**
 * Tamper evidence: the hashes the endpoint stores and an export is verified
 * against. Pure functions, shared by the store (which computes them) and by
 * `consentkit-server verify` (which recomputes them from an export file).
 *
 *   leaf     sha256 of one record as exported: `{ receivedAt, record }` as canonical
 *            JSON (keys sorted at every level), so it does not depend on the
 *            database's key order or on whitespace.
 *   day      sha256 of `consentkit-digest-v1`, the UTC day, its record count, the
 *            previous day's digest and the sha256 of the day's leaves sorted and
 *            joined by newlines: sorted, so an erased record's leaf (kept in its
 *            tombstone) takes its place again without its time or position.
 *
 * Each day names the one before it, so a day removed from the middle, or a
 * changed, added or removed record, shows.
 */
import { createHash } from 'node:crypto';
import type { ConsentRecord } from '../gate/reporting/record.js';

/** The `previous` of the first day of a chain. */
export const GENESIS = '0'.repeat(64);

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every level: one text for one value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value == 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The leaf hash of one record received at `receivedAt` (ISO 8601 with milliseconds, as exported). */
export const leafHash = (receivedAt: string, record: ConsentRecord): string => sha256(canonicalJson({ receivedAt, record }));

/** The hash of a day's leaves: sorted (bytewise: they are lowercase hex), joined by newlines. */
export const leavesHash = (leaves: string[]): string => sha256([...leaves].sort().join('\n'));

/** A day's digest, chained to the day before. */
export const dayDigest = (day: string, count: number, previous: string, leaves: string): string =>
  sha256(`consentkit-digest-v1\n${day}\n${count}\n${previous}\n${leaves}`);

/** A day's digest as stored and exported. */
export interface DayDigest {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Records received that day, erased ones included. */
  count: number;
  /** The digest of the day before (GENESIS for the first). */
  previous: string;
  digest: string;
  /** When retention removed the day's records (the digest is kept), else null. */
  purgedAt: string | null;
}

/** The UTC day (`YYYY-MM-DD`) of an ISO time. */
export const utcDay = (time: string | Date): string => new Date(time).toISOString().slice(0, 10);
