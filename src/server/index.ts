/**
 * `consentkit/server`: the reference consent-record endpoint (Node 20+).
 * Never imported by browser code.
 */
export { createConsentHandler, MAX_BODY_BYTES } from './handler.js';
export type { ConsentHandler, ConsentHandlerOptions } from './handler.js';
export { openStore, MIGRATIONS } from './storage.js';
export type { ConsentStore, StoreOptions, StoredRecord } from './storage.js';
export { validateRecord, isRecord } from './validate.js';
export type { ConsentRecord } from '../gate/reporting/record.js';
export { readConsent, cookieFromHeader } from './read-consent.js';
export type { ReadConsentOptions } from './read-consent.js';
