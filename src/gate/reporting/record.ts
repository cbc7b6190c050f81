/**
 * The consent record (schema v1, `schema/consent-record.v1.json`): what a
 * site keeps to prove a decision. It holds no identifier but the random
 * consent id: no IP, no user agent, no fingerprint.
 *
 * The gate does not build it: at the decision it puts the facts only the page
 * has then (a `PendingRecord`) in the outbox, in the same task, and the sender
 * part makes the record from them (`recordOf`): dates, language check, hash.
 * Both sides share this module; the gate's build keeps only `pendingRecord`.
 */
import type { ConsentAction, ConsentChoice, ConsentSource } from '../core/choice.js';
import type { ConsentKit } from '../core/consent-kit.js';
import type { DecisionDetail } from '../core/events.js';
import { uuid } from '../core/random.js';

/** One decision as sent to the endpoint and stored there. */
export interface ConsentRecord {
  schemaVersion: 1;
  /** The visitor's consent id (from the cookie), kept across decisions. */
  consentId: string;
  /** Unique id of this record; the endpoint deduplicates by it. */
  recordId: string;
  /** First decision of this consent id, ISO 8601 UTC. */
  createdAt: string;
  /** This decision, ISO 8601 UTC. */
  updatedAt: string;
  /** Policy revision in force. */
  revision: string;
  action: ConsentAction;
  source: ConsentSource;
  /** Every category id with its state, refusals included. */
  categories: Record<string, boolean>;
  /** Every service id with its state, refusals included. */
  services: Record<string, boolean>;
  /** Language of the texts shown (BCP 47), `und` when unknown. */
  language: string;
  /** Region this page view was served for, when known. */
  region?: string;
  /** Page origin and path, without query or fragment. */
  url: string;
  /** Global Privacy Control was on. */
  gpc: boolean;
  sdkVersion: string;
  /** SHA-256 (hex) of the config and the texts the visitor was shown. */
  configHash: string;
  /** Present (true) when the visitor confirmed granting sale/share categories despite GPC. */
  gpcConfirmed?: true;
}

/**
 * A decision as the outbox keeps it until the endpoint has settled it: the
 * stored choice (dates in epoch milliseconds) under the record's ids, and
 * what the page knew when it was made.
 */
export interface PendingRecord extends Omit<ConsentChoice, 'id'> {
  /** The visitor's consent id (the choice's `id`). */
  consentId: string;
  /** The record's id, made with the decision: a resend is the same record. */
  recordId: string;
  /** Language of the texts shown as the page had it, not yet checked. */
  language: string;
  /** Page origin and path, without query or fragment. */
  url: string;
  /** Region this page view was served for, when known. */
  region?: string;
  sdkVersion: string;
  /**
   * What `configHash` is the SHA-256 of, once written as `stable` JSON: the config
   * as given (as JSON holds it) and the language and texts the UI showed.
   */
  hashed: { config: unknown; shown: ConsentKit['shown'] };
}

export const LANGUAGE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/;

/** JSON with object keys sorted, so equal configs hash equally whatever their key order. */
export const stable = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stable).join()}]`
    : v && typeof v == 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
          .join()}}`
      : JSON.stringify(v === undefined ? null : v);

/** The facts of a decision to keep in the outbox, all read in the task it was made in. */
export function pendingRecord(kit: ConsentKit, { choice }: DecisionDetail): PendingRecord {
  const { id, ...decided } = choice;
  return {
    ...decided,
    consentId: id,
    recordId: uuid(),
    language: kit.shown?.language ?? kit.config.language ?? document.documentElement.lang,
    url: location.origin + location.pathname,
    region: kit.region,
    sdkVersion: kit.version,
    hashed: { config: kit.config.source, shown: kit.shown },
  };
}

/** The record of a pending decision, its fields in the schema's order; `hash` gives the SHA-256 (hex) of a text. */
export function recordOf(pending: PendingRecord, hash: (text: string) => string): ConsentRecord {
  // What an older version or a hand left in the outbox must not go out with a made-up hash.
  if (typeof pending.createdAt != 'number' || typeof pending.hashed != 'object') throw new TypeError('not a pending decision');
  const iso = (ms: number) => new Date(ms).toISOString();
  const record: ConsentRecord = {
    schemaVersion: 1,
    consentId: pending.consentId,
    recordId: pending.recordId,
    createdAt: iso(pending.createdAt),
    updatedAt: iso(pending.updatedAt),
    revision: pending.revision,
    action: pending.action,
    source: pending.source,
    categories: pending.categories,
    services: pending.services,
    language: LANGUAGE.test(pending.language) ? pending.language : 'und',
    url: pending.url,
    gpc: pending.gpc,
    sdkVersion: pending.sdkVersion,
    configHash: hash(stable(pending.hashed)),
  };
  if (pending.region) record.region = pending.region;
  if (pending.gpcConfirmed) record.gpcConfirmed = true;
  return record;
}
