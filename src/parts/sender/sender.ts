/**
 * The sender (`consentkit-sender.js`, `consentkit/sender` for ESM): makes the
 * consent records of the decisions the gate has put in the localStorage outbox
 * (hashing the config and texts shown) and delivers them. The gate loads it once
 * there is something to send: after a decision, or at idle time when earlier
 * page views left decisions behind.
 *
 * A record leaves the outbox only when the endpoint answers 2xx, or refuses it
 * for good (4xx other than 408 and 429). Anything else is retried with
 * exponential backoff on this page and on every later page load. Resending is
 * safe: the endpoint deduplicates by record id.
 */
import type { ReportOptions } from '../../gate/core/config.js';
import { logError } from '../../gate/core/log.js';
import { outboxWithout, readOutbox, writeOutbox } from '../../gate/reporting/outbox.js';
import { recordOf, type PendingRecord } from '../../gate/reporting/record.js';
import { sha256 } from './sha256.js';

const MAX_BACKOFF = 3e5;

/** A running sender for one outbox. */
export interface Sender {
  /** Sends the record of `pending` (already in the outbox) unless it is on its way. */
  deliver(pending: PendingRecord): void;
  /** Sends the record of every decision in the outbox that is not on its way. */
  flush(): void;
  /** Stops retrying and listening; the outbox stays for the next page. */
  stop(): void;
}

/** What the sender part exports. */
export interface SenderModule {
  startSender(report: ReportOptions, key: string): Sender;
}

/** Starts delivering the records of the outbox under `key` to `report.url`. */
export function startSender(report: ReportOptions, key: string): Sender {
  const sending = new Set<string>();
  let failures = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** True when the endpoint settled the record (stored or refused for good). */
  const send = async (pending: PendingRecord): Promise<boolean> => {
    let body: string;
    try {
      body = JSON.stringify(recordOf(pending, sha256));
    } catch (e) {
      // No record can be made of it (written by hand, or by another version): retrying cannot help.
      logError('an outbox entry that is not a decision was dropped:', e);
      return true;
    }
    const beacon = () => typeof navigator.sendBeacon == 'function' && navigator.sendBeacon(report.url, body);
    if (typeof fetch != 'function') return beacon();
    const abort = new AbortController();
    const timeout = setTimeout(() => {
      abort.abort();
    }, report.timeout ?? 1e4);
    let response: Response;
    try {
      response = await fetch(report.url, {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'application/json', ...report.headers },
        // Unset, fetch uses its default: same-origin.
        credentials: report.credentials,
        body,
        signal: abort.signal,
      });
    } catch {
      // A refused keepalive fetch (quota) rejects like a network error: try a
      // beacon too, but a beacon cannot see the answer, so the record stays
      // in the outbox until a later fetch is acknowledged.
      if (!abort.signal.aborted) beacon();
      return false;
    } finally {
      clearTimeout(timeout);
    }
    const { status } = response;
    if (response.ok) return true;
    if (status < 400 || status > 499 || status == 408 || status == 429) return false;
    // A JSON `{ "error": "…" }` body gives the reason; without one the status says enough.
    const error = ((await response.json().catch(() => null)) as { error?: unknown } | null)?.error;
    logError(`consent record refused by ${report.url} (HTTP ${status}${typeof error == 'string' && error ? `: ${error}` : ''}); dropped`);
    return true;
  };

  const deliver = async (pending: PendingRecord) => {
    // The same record may be asked for twice (the decision and the outbox
    // flush at idle time, or a retry): one request at a time.
    if (sending.has(pending.recordId)) return;
    sending.add(pending.recordId);
    let done = false;
    try {
      done = await send(pending);
    } catch {
      // Treated like a network error: retried.
    }
    sending.delete(pending.recordId);
    if (done) {
      failures = 0;
      // Re-read: other tabs of the site share the outbox.
      writeOutbox(key, outboxWithout(key, pending.recordId));
    } else if (!stopped)
      timer ??= setTimeout(() => {
        timer = undefined;
        flush();
      }, Math.min(1e3 * 2 ** failures++, MAX_BACKOFF));
  };
  const flush = () => {
    for (const pending of readOutbox(key)) void deliver(pending);
  };

  addEventListener('online', flush);
  return {
    deliver(pending) {
      void deliver(pending);
    },
    flush,
    stop() {
      removeEventListener('online', flush);
      clearTimeout(timer);
      stopped = true;
    },
  };
}
