/**
 * The daily work of a store: close the days that have ended into digests,
 * then delete records older than the retention period. Run once when the
 * store opens and then every hour; each run does only what is due, so a
 * restart or several instances on one database never do a day twice.
 */
import type { Log } from './log.js';
import type { Metrics } from './metrics.js';
import type { ConsentStore } from './storage.js';

/** How often the work is looked for. A day is closed within this time after it ends (plus CLOSE_DELAY_MS). */
export const MAINTENANCE_INTERVAL_MS = 60 * 60_000;

/**
 * Default retention in days: the longest a stored choice can be relied on (the cookie lasts at
 * most 395 days, MAX_EXPIRY_DAYS) plus three years for disputes and complaints (a common
 * limitation period, e.g. § 195 BGB). See docs/endpoint.md, "Retention".
 */
export const DEFAULT_RETAIN_DAYS = 395 + 3 * 365;

/** `retainDays` checked: a whole number of days ≥ 1, or false for no purge. */
export function retainDaysOption(retainDays: unknown): number | false {
  if (retainDays === undefined) return DEFAULT_RETAIN_DAYS;
  if (retainDays === false || retainDays === 0) return false;
  if (typeof retainDays == 'number' && Number.isInteger(retainDays) && retainDays > 0) return retainDays;
  throw new TypeError(`retainDays must be a whole number of days > 0, or false for no purge (got ${JSON.stringify(retainDays)})`);
}

/** One run: close ended days, then purge. Resolves with what was done; logs it. */
export async function maintain(store: ConsentStore, retainDays: number | false, log: Log, metrics: Metrics, now = new Date()) {
  const operator = store.operator;
  if (!operator) return { closed: 0, purged: 0 };
  const closed = await operator.closeDays(now);
  if (closed.length) log('info', 'days closed', { days: closed.length, first: closed[0].day, last: closed[closed.length - 1].day });
  let purged = 0;
  if (retainDays) {
    const result = await operator.purge(retainDays, now);
    purged = result.records;
    metrics.purged += purged;
    if (purged) log('info', 'retention purged records', { records: purged, receivedBefore: result.before, retainDays });
  }
  return { closed: closed.length, purged };
}
