/**
 * `consentkit/server`: the reference consent-record endpoint (Node 20+).
 * Never imported by browser code.
 */
export { createConsentHandler, MAX_BODY_BYTES } from './handler.js';
export type { ConsentHandler, ConsentHandlerOptions } from './handler.js';
export { createAuthorizer } from './auth.js';
export type { Authorize, Authorization, Scope, Tokens } from './auth.js';
export type { LogLevel, LogLine, LogSink } from './log.js';
export { Metrics } from './metrics.js';
export type { OperatorStore, RecordFilter, ListedRecord, RecordPage, Erasure, ErasureResult } from './operator-store.js';
export type { DayDigest } from './digest.js';
export { verifyExport } from './verify.js';
export type { VerifyResult } from './verify.js';
export { DEFAULT_RETAIN_DAYS } from './maintenance.js';
export { openStore, MIGRATIONS } from './storage.js';
export type { ConsentStore, StoreOptions, StoredRecord } from './storage.js';
export { validateRecord, isRecord } from './validate.js';
export type { ConsentRecord } from '../gate/reporting/record.js';
export { readConsent, cookieFromHeader } from './read-consent.js';
export type { ReadConsentOptions } from './read-consent.js';
