/**
 * Delivers a consent record for every decision made in this tab.
 *
 * Each record is put in a localStorage outbox BEFORE it is sent, so a page
 * that navigates away mid-request loses nothing; it leaves the outbox only
 * when the endpoint answers 2xx, or refuses it for good (4xx other than 408
 * and 429). Anything else is retried with exponential backoff on this page
 * and on every later page load. Resending is safe: the endpoint
 * deduplicates by record id. Nothing here blocks the UI or activation.
 */
import type { ConsentKit } from '../core/consent-kit.js';
import { logError, logWarn } from '../core/log.js';
import { buildRecord, type ConsentRecord } from './record.js';

/** Records kept at most; beyond that the oldest are dropped (with a warning). */
export const OUTBOX_LIMIT = 50;
const MAX_BACKOFF = 3e5;

/**
 * Starts reporting decisions to `kit.config.report` (does nothing when it is
 * false). Returns a function that stops it; the outbox stays for the next page.
 */
export function startReporter(kit: ConsentKit): () => void {
  const opts = kit.config.report;
  if (!opts) return () => undefined;
  const key = `consentkit:outbox:${kit.config.cookie.name}`;
  const sending = new Set<string>();
  let failures = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const read = (): ConsentRecord[] => {
    try {
      const list: unknown = JSON.parse(localStorage.getItem(key) ?? '0');
      return Array.isArray(list) ? (list as ConsentRecord[]) : [];
    } catch {
      return [];
    }
  };
  const write = (list: ConsentRecord[]) => {
    try {
      if (list.length) localStorage.setItem(key, JSON.stringify(list));
      else localStorage.removeItem(key);
    } catch (e) {
      logWarn('outbox:', e);
    }
  };
  // Re-read each time: other tabs of the site share the outbox.
  const without = (id: string) => read().filter((r) => r.recordId != id);
  const keep = (record: ConsentRecord) => {
    const list = [...without(record.recordId), record];
    const over = list.length - OUTBOX_LIMIT;
    if (over > 0) {
      logWarn(`outbox full: dropped the ${over} oldest consent records`);
      list.splice(0, over);
    }
    write(list);
  };

  /** True when the endpoint settled the record (stored or refused for good). */
  const send = async (record: ConsentRecord): Promise<boolean> => {
    const body = JSON.stringify(record);
    const beacon = () => typeof navigator.sendBeacon == 'function' && navigator.sendBeacon(opts.url, body);
    if (typeof fetch != 'function') return beacon();
    const abort = new AbortController();
    const timeout = setTimeout(() => {
      abort.abort();
    }, opts.timeout ?? 1e4);
    let response: Response;
    try {
      response = await fetch(opts.url, {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'application/json', ...opts.headers },
        // Unset, fetch uses its default: same-origin.
        credentials: opts.credentials,
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
    logError(`consent record refused by ${opts.url} (HTTP ${status}${typeof error == 'string' && error ? `: ${error}` : ''}); dropped`);
    return true;
  };

  const deliver = async (record: ConsentRecord) => {
    if (sending.has(record.recordId)) return;
    sending.add(record.recordId);
    let done = false;
    try {
      done = await send(record);
    } catch {
      // Treated like a network error: retried.
    }
    sending.delete(record.recordId);
    if (done) {
      failures = 0;
      write(without(record.recordId));
    } else if (!stopped)
      timer ??= setTimeout(() => {
        timer = undefined;
        flush();
      }, Math.min(1e3 * 2 ** failures++, MAX_BACKOFF));
  };
  const flush = () => {
    for (const record of read()) void deliver(record);
  };

  const off = kit.onDecision((detail) => {
    buildRecord(kit, detail)
      .then((record) => {
        keep(record);
        return deliver(record);
      })
      .catch((e: unknown) => {
        logError('consent record not built:', e);
      });
  });
  addEventListener('online', flush);
  // Records left by earlier page views; after start-up work, never before it.
  const first = setTimeout(flush);
  return () => {
    off();
    removeEventListener('online', flush);
    clearTimeout(first);
    clearTimeout(timer);
    stopped = true;
  };
}
