/**
 * consentkit's ESM entry. Importing it has no side effect; `init()` starts
 * the SDK. The one-tag build (`cdn.ts`) calls the same `init()`.
 */
import { createConsentKit, install, installed, type ConsentKit, type KitEnvironment } from './core/consent-kit.js';
import { startAudit, type AuditSource } from './audit/loader.js';

/** Options for `init()` beyond the JSON config. */
export interface InitOptions extends KitEnvironment {
  /** Put the API on `window.consentkit` and run calls queued there (default true). */
  global?: boolean;
  /**
   * Where audit mode's code comes from when it is switched on. The one-tag build loads
   * `consentkit-audit.js` from beside itself; ESM users pass `() => import('consentkit/audit')`.
   */
  audit?: AuditSource;
}

/**
 * Starts consentkit with a config object and returns its API. A second call
 * on the same page (say the npm copy and the tag copy) returns the first API.
 */
export function init(config?: unknown, options: InitOptions = {}): ConsentKit {
  const existing = installed();
  if (existing) return existing;
  const kit = createConsentKit(config, options);
  // Order matters: integrations first (consent defaults must reach the
  // dataLayer before any tag runs), then the blocker (it runs what is
  // granted), then reporting and the UI.
  // Last, and nothing unless switched on: audit mode.
  startAudit(kit, options.audit);
  return options.global === false ? kit : install(kit);
}

export { VERSION, createConsentKit } from './core/consent-kit.js';
export type { ConsentKit, KitEnvironment, QueueItem } from './core/consent-kit.js';
export { validateConfig, DEFAULT_CATEGORY_IDS } from './core/config.js';
export type {
  CategoryConfig,
  ConsentConfig,
  CookieInfo,
  CookieOptions,
  ReportOptions,
  ResolvedConfig,
  ServiceConfig,
} from './core/config.js';
export { allows, decodeChoice, defaultState, encodeChoice, diffStates, staleReason, stateOf, storedState } from './core/choice.js';
export type {
  ChoiceInput,
  ConsentMode,
  ConsentAction,
  ConsentChoice,
  ConsentDiff,
  ConsentSource,
  ConsentState,
  StaleReason,
} from './core/choice.js';
export type { ChangeDetail, DecisionDetail } from './core/events.js';
export type { AuditSource } from './audit/loader.js';
export type { AuditApi, AuditDetail, AuditFinding, AuditKind, AuditModule } from './audit/types.js';
