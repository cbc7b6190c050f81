/**
 * The consent record (schema v1, `schema/consent-record.v1.json`): what a
 * site keeps to prove a decision. It holds no identifier but the random
 * consent id: no IP, no user agent, no fingerprint.
 */
import type { ConsentAction, ConsentSource } from '../core/choice.js';
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

/** A record as the outbox keeps it. */
export interface OutboxRecord extends ConsentRecord {
  /**
   * Never sent: where `crypto.subtle` is missing (plain http outside localhost),
   * the text to hash; the sender part computes `configHash` from it.
   */
  hashOf?: string;
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

/** SHA-256 (hex) of `text`, with `crypto.subtle`: secure contexts only. */
export const sha256 = async (text: string): Promise<string> =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

/** Builds the record of a decision. Everything is read at once; only the hash waits. */
export async function buildRecord(kit: ConsentKit, { choice }: DecisionDetail): Promise<OutboxRecord> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const language = kit.shown?.language ?? kit.config.language ?? document.documentElement.lang;
  const hashed = stable({ config: kit.config.source, shown: kit.shown });
  const record: OutboxRecord = {
    schemaVersion: 1,
    consentId: choice.id,
    recordId: uuid(),
    createdAt: iso(choice.createdAt),
    updatedAt: iso(choice.updatedAt),
    revision: choice.revision,
    action: choice.action,
    source: choice.source,
    categories: choice.categories,
    services: choice.services,
    language: LANGUAGE.test(language) ? language : 'und',
    url: location.origin + location.pathname,
    gpc: choice.gpc,
    sdkVersion: kit.version,
    configHash: '',
  };
  // Last: every value above is read before the hash is awaited. Without
  // crypto.subtle the sender part hashes (a JS SHA-256 the gate need not carry).
  // (The DOM types say it is always there; insecure contexts have none.)
  if (crypto.subtle as SubtleCrypto | undefined) record.configHash = await sha256(hashed);
  else record.hashOf = hashed;
  if (kit.region) record.region = kit.region;
  if (choice.gpcConfirmed) record.gpcConfirmed = true;
  return record;
}
