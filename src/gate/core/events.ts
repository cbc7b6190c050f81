/**
 * The DOM events consentkit fires on `window`. Each is a typed CustomEvent
 * declared in WindowEventMap, so `addEventListener('consentkit:change', e => e.detail.granted)`
 * type-checks.
 */
import type { ConsentChoice, ConsentState } from './choice.js';

/** Detail of `consentkit:change`. */
export interface ChangeDetail {
  /** The state after the change. */
  state: ConsentState;
  /** Categories and services that became granted. */
  granted: string[];
  /** Categories and services that became refused. */
  revoked: string[];
  /** `local` when decided in this page, `remote` when another tab decided. */
  origin: 'local' | 'remote';
}

/** Detail of every decision (also unchanged re-confirmations): feeds records and tag managers. */
export interface DecisionDetail {
  /** The choice as stored (and recorded). */
  choice: ConsentChoice;
  /** The state after the decision. */
  state: ConsentState;
  /** The state before it. */
  previous: ConsentState;
}

export const READY = 'consentkit:ready';
export const FIRST_CONSENT = 'consentkit:first-consent';
export const CHANGE = 'consentkit:change';
export const DECISION = 'consentkit:decision';

declare global {
  interface WindowEventMap {
    /** The SDK has read the stored choice and applied it. */
    'consentkit:ready': CustomEvent<{ state: ConsentState }>;
    /** The visitor made their first choice on this device. */
    'consentkit:first-consent': CustomEvent<{ state: ConsentState }>;
    /** What is granted changed (in this tab or another one). */
    'consentkit:change': CustomEvent<ChangeDetail>;
    /** A decision was made in this tab, changed or not (each one is a consent record). */
    'consentkit:decision': CustomEvent<DecisionDetail>;
  }
}

export const emit = <K extends keyof WindowEventMap>(
  type: K,
  detail: WindowEventMap[K] extends CustomEvent<infer D> ? D : never,
): void => {
  dispatchEvent(new CustomEvent(type, { detail }));
};
