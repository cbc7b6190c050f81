/**
 * consentkit's ESM entry. Importing it has no side effect; `init()` starts
 * the SDK. The one-tag build (`cdn.ts`) calls the same `init()`.
 */
import { startBlocker } from './blocker/blocker.js';
import { createConsentKit, install, installed, type ConsentKit, type KitEnvironment } from './core/consent-kit.js';
import { logError } from './core/log.js';
import { detectEnvironment } from './integrations/environment.js';
import { startIntegrations } from './integrations/start.js';
import { startReporter } from './reporting/reporter.js';
import { startUi, type UiSource } from './ui/loader.js';

/** Options for `init()` beyond the JSON config. */
export interface InitOptions extends KitEnvironment {
  /** Put the API on `window.consentkit` and run calls queued there (default true). */
  global?: boolean;
  /**
   * Where the banner comes from. The one-tag build loads `consentkit-ui.js` from
   * beside itself; ESM users pass `() => import('consentkit/ui')`, or `false` for none.
   */
  ui?: UiSource;
}

/**
 * Starts consentkit with a config object and returns its API. A second call
 * on the same page (say the npm copy and the tag copy) returns the first API.
 */
export function init(config?: unknown, options: InitOptions = {}): ConsentKit {
  const existing = installed();
  if (existing) return existing;
  // Region, mode and GPC decide the undecided state, so they come first;
  // `options` (tests, ESM callers) override what is detected.
  const kit = createConsentKit(config, detectEnvironment(config, options));
  // Order matters: integrations first (consent defaults must reach the
  // dataLayer before any tag runs), then the blocker (it runs what is
  // granted), then reporting and the UI.
  startIntegrations(kit);
  try {
    startBlocker(kit);
  } catch (e) {
    // Marked elements stay blocked; the API keeps working.
    logError('blocker failed to start:', e);
  }
  startReporter(kit);
  startUi(kit, options.ui);
  return options.global === false ? kit : install(kit);
}

export { VERSION, createConsentKit } from './core/consent-kit.js';
export type { ConsentKit, KitEnvironment, QueueItem } from './core/consent-kit.js';
export type { UiModule, UiSource } from './ui/loader.js';
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
export type { ConsentRecord } from './reporting/record.js';
export { DATALAYER_EVENT } from './integrations/start.js';
export type { DataLayerConsent } from './integrations/start.js';
export { DEFAULT_MAPPING, SIGNALS } from './integrations/consent-mode.js';
export type { ConsentModeOptions, Signal } from './integrations/consent-mode.js';
