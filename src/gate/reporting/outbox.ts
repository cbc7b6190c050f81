/**
 * The localStorage outbox of consent records (`consentkit:outbox:<cookie name>`),
 * shared by the gate (which puts each decision in it, as a `PendingRecord`) and
 * the sender part (which takes them out once the endpoint has settled their records). Both sides
 * re-read it before every change: other tabs of the site share it.
 */
import { logWarn } from '../core/log.js';
import type { PendingRecord } from './record.js';

/** The outbox's localStorage key for a config's consent cookie. */
export const outboxKey = (cookieName: string): string => `consentkit:outbox:${cookieName}`;

/** The decisions waiting under `key`; none when storage is unavailable or holds something else. */
export function readOutbox(key: string): PendingRecord[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(key) ?? '0');
    return Array.isArray(list) ? (list as PendingRecord[]) : [];
  } catch {
    return [];
  }
}

/** Replaces the decisions under `key`; an empty list removes the key. */
export function writeOutbox(key: string, list: PendingRecord[]): void {
  try {
    if (list.length) localStorage.setItem(key, JSON.stringify(list));
    else localStorage.removeItem(key);
  } catch (e) {
    logWarn('outbox:', e);
  }
}

/** The decisions under `key` except the one with `recordId`. */
export const outboxWithout = (key: string, recordId: string): PendingRecord[] => readOutbox(key).filter((r) => r.recordId != recordId);
