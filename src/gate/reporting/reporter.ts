/**
 * The gate's side of consent records: for every decision made in this tab it
 * puts the decision's facts (a `PendingRecord`) in the localStorage outbox, in
 * the task the decision is made in, then asks for the sender part
 * (`consentkit-sender.js`, `src/parts/sender/sender.ts`), which makes the
 * records, delivers them, retries and empties the outbox. The gate never sends
 * or hashes anything itself, so returning visitors with nothing to send never
 * download the code that does.
 *
 * Each decision is in the outbox BEFORE the sender is even requested, so a page
 * that navigates away right after it, mid-download or mid-request, loses
 * nothing: the next page view finds it and loads the sender at idle time.
 * Nothing here blocks the UI or activation.
 */
import type { ConsentKit } from '../core/consent-kit.js';
import { logError, logWarn } from '../core/log.js';
import { whenIdle, type LoadPart } from '../parts.js';
import { outboxKey, readOutbox, writeOutbox } from './outbox.js';
import { pendingRecord, type PendingRecord } from './record.js';
import type { Sender } from '../../parts/sender/sender.js';

/** Decisions kept at most; beyond that the oldest are dropped (with a warning). */
export const OUTBOX_LIMIT = 50;

/**
 * Starts reporting decisions to `kit.config.report` (does nothing when it is
 * false); `load` fetches the sender part. Returns a function that stops it;
 * the outbox stays for the next page.
 */
export function startReporter(kit: ConsentKit, load: LoadPart): () => void {
  const report = kit.config.report;
  if (!report) return () => undefined;
  const key = outboxKey(kit.config.cookie.name);
  let stopped = false;
  let sender: Promise<Sender | undefined> | undefined;

  /** The sender for this page view, loaded and started on first use. */
  const getSender = () =>
    (sender ??= load('sender').then(
      (part) => (stopped ? undefined : part.startSender(report, key)),
      (e: unknown) => {
        // The records wait in the outbox; the next decision or page view tries again.
        sender = undefined;
        logError(e);
        return undefined;
      },
    ));

  const keep = (pending: PendingRecord) => {
    // Re-read: other tabs of the site share the outbox.
    const list = [...readOutbox(key), pending];
    const over = list.length - OUTBOX_LIMIT;
    if (over > 0) {
      logWarn(`outbox full: dropped the ${over} oldest consent records`);
      list.splice(0, over);
    }
    writeOutbox(key, list);
  };

  const off = kit.onDecision((detail) => {
    const pending = pendingRecord(kit, detail);
    keep(pending);
    void getSender().then((running) => running?.deliver(pending));
  });
  // Records left by earlier page views (or other tabs): checked after start-up
  // work, never before it, so the gate reads localStorage only when idle.
  whenIdle(() => {
    if (!stopped && readOutbox(key).length) void getSender().then((running) => running?.flush());
  });
  return () => {
    off();
    stopped = true;
    void sender?.then((running) => running?.stop());
  };
}
