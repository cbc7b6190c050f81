/**
 * Checks an NDJSON export against the digests it carries: each record against
 * its leaf hash, each digested day's records (with the leaves of its erased
 * records) against the day's digest, and each digest against the one before.
 * Names the first record or day that does not match.
 */
import type { ConsentRecord } from '../gate/reporting/record.js';
import { dayDigest, leafHash, leavesHash, utcDay, type DayDigest } from './digest.js';

export interface VerifyResult {
  ok: boolean;
  /** Record lines read. */
  records: number;
  /** Days whose records were checked against their digest. */
  daysVerified: number;
  /** Days whose records retention deleted: only their place in the chain is checked. */
  daysPurged: number;
  /** Records on days without a digest in the export (days not closed yet, or at a partial edge of the range). */
  recordsWithoutDigest: number;
  /** The first problem, naming the line, record or day; absent when ok. */
  problem?: string;
  /** The day of the first problem, when it has one. */
  day?: string;
}

interface RecordLine {
  type: 'record';
  receivedAt: string;
  leaf: string;
  record: ConsentRecord;
}

/** Verifies the export whose lines `lines` yields. */
export async function verifyExport(lines: AsyncIterable<string> | Iterable<string>): Promise<VerifyResult> {
  const leaves = new Map<string, string[]>();
  const erased = new Map<string, string[]>();
  const digests: DayDigest[] = [];
  let records = 0;
  let lineNumber = 0;
  const result = (problem?: string, day?: string, daysVerified = 0, daysPurged = 0): VerifyResult => {
    const digested = new Set(digests.map((d) => d.day));
    const recordsWithoutDigest = [...leaves].reduce((n, [day, list]) => n + (digested.has(day) ? 0 : list.length), 0);
    return { ok: !problem, records, daysVerified, daysPurged, recordsWithoutDigest, ...(problem ? { problem, ...(day ? { day } : {}) } : {}) };
  };
  const push = (map: Map<string, string[]>, day: string, leaf: string) => {
    const list = map.get(day);
    if (list) list.push(leaf);
    else map.set(day, [leaf]);
  };

  for await (const text of lines) {
    lineNumber++;
    if (!text.trim()) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return result(`line ${lineNumber} is not JSON`);
    }
    if (entry.type == 'record') {
      const { receivedAt, leaf, record } = entry as unknown as RecordLine;
      if (typeof receivedAt != 'string' || Number.isNaN(Date.parse(receivedAt)) || typeof record != 'object' || (record as unknown) === null)
        return result(`line ${lineNumber} is not a record line (receivedAt and record are required)`);
      const day = utcDay(receivedAt);
      records++;
      if (leafHash(receivedAt, record) !== leaf)
        return result(`record ${record.recordId} (line ${lineNumber}, received ${receivedAt}) does not match its hash: it was changed`, day);
      push(leaves, day, leaf);
    } else if (entry.type == 'erased' && typeof entry.day == 'string' && typeof entry.leaf == 'string') push(erased, entry.day, entry.leaf);
    else if (entry.type == 'digest' && typeof entry.day == 'string') digests.push(entry as unknown as DayDigest);
    else return result(`line ${lineNumber} is neither a record, an erased leaf nor a digest`);
  }

  let daysVerified = 0;
  let daysPurged = 0;
  for (const [i, digest] of digests.entries()) {
    const { day } = digest;
    if (i > 0 && digest.previous !== digests[i - 1].digest)
      return result(`day ${day} does not follow day ${digests[i - 1].day}: the chain is broken (a day was removed, or a digest changed)`, day, daysVerified, daysPurged);
    const dayLeaves = [...(leaves.get(day) ?? []), ...(erased.get(day) ?? [])];
    if (digest.purgedAt) {
      if (leaves.has(day)) return result(`day ${day} is marked purged but the export holds records of it`, day, daysVerified, daysPurged);
      daysPurged++;
      continue;
    }
    if (dayLeaves.length !== digest.count)
      return result(
        `day ${day} has ${leaves.get(day)?.length ?? 0} records (and ${erased.get(day)?.length ?? 0} erased) in the export, its digest counts ${digest.count}: records were removed or added`,
        day,
        daysVerified,
        daysPurged,
      );
    if (dayDigest(day, digest.count, digest.previous, leavesHash(dayLeaves)) !== digest.digest)
      return result(`day ${day} does not match its digest: a record and its hash were changed together, or the digest was`, day, daysVerified, daysPurged);
    daysVerified++;
  }
  return result(undefined, undefined, daysVerified, daysPurged);
}
