/**
 * consentkit's ESM entry. Importing it has no side effect; `init()` starts
 * the SDK. The one-tag build (`cdn.ts`) calls the same `start()` underneath.
 */
import type { ConsentKit } from './core/consent-kit.js';
import { start, type InitOptions } from './start.js';

/**
 * Starts consentkit with a config object and returns its API. A second call
 * on the same page (say the npm copy and the tag copy) returns the first API.
 * The banner, the preferences dialog and audit mode load on demand with
 * `import()`, so bundlers put them in chunks of their own.
 */
export function init(config?: unknown, options: InitOptions = {}): ConsentKit {
  return start(config, {
    ui: () => import('./ui/define.js'),
    audit: () => import('./audit/entry.js'),
    ...options,
    parts: { corner: () => import('./ui/corner.js'), preferences: () => import('./ui/define-preferences.js'), ...options.parts },
  });
}

export type { InitOptions } from './start.js';
export { VERSION, createConsentKit } from './core/consent-kit.js';
export type { ConsentKit, KitEnvironment, QueueItem } from './core/consent-kit.js';
export type { UiModule, UiSource } from './ui/loader.js';
export type { LoadPart, PartName, PartSources, Parts } from './parts.js';
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
export type { AuditSource } from './audit/loader.js';
export type { AuditApi, AuditDetail, AuditFinding, AuditKind, AuditModule } from './audit/types.js';
