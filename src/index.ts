/**
 * consentkit's ESM entry. Importing it has no side effect; `init()` starts
 * the SDK. The one-tag build (`cdn.ts`) calls the same `start()` underneath.
 */
import { createConsentKit as createKit, type ConsentKit, type DiagnosticsSource, type KitEnvironment } from './gate/core/consent-kit.js';
import { start, type InitOptions } from './gate/start.js';

/**
 * Starts consentkit with a config object and returns its API. A second call
 * on the same page (say the npm copy and the tag copy) returns the first API.
 * The banner, the preferences dialog, the corner buttons, the embed placeholders,
 * the record sender, the config diagnostics and audit mode load on demand with
 * `import()`, so bundlers put them in chunks of their own.
 */
export function init(config?: unknown, options: InitOptions = {}): ConsentKit {
  const { ui = () => import('./parts/ui/define.js'), audit = () => import('./parts/audit/entry.js'), ...rest } = options;
  return start(config, {
    ...rest,
    parts: {
      corner: () => import('./parts/corner/corner.js'),
      preferences: () => import('./parts/preferences/define-preferences.js'),
      embeds: () => import('./parts/embeds/embeds.js'),
      sender: () => import('./parts/sender/sender.js'),
      diagnostics: () => import('./parts/diagnostics/diagnostics.js'),
      ...options.parts,
      // `ui` and `audit` given as options of their own win over `parts`.
      ui: ui || (() => Promise.reject(new Error('no UI: pass init(config, { ui: () => import("consentkit/ui") })'))),
      audit,
    },
  });
}

/**
 * The consent core alone (no blocker, UI or integrations): resolves `config`,
 * reads the stored choice and returns the API. A config with problems has
 * each named in the console by the diagnostics part, loaded with `import()`.
 */
export const createConsentKit = (
  config?: unknown,
  env: KitEnvironment = {},
  diagnostics: DiagnosticsSource = () => import('./parts/diagnostics/diagnostics.js'),
): ConsentKit => createKit(config, env, diagnostics);

export type { InitOptions } from './gate/start.js';
export { VERSION } from './gate/core/consent-kit.js';
export type { ConsentKit, DiagnosticsSource, KitEnvironment, QueueItem } from './gate/core/consent-kit.js';
export type { UiModule, UiSource } from './gate/ui-loader.js';
export type { LoadPart, PartName, PartSources, Parts } from './gate/parts.js';
export { validateConfig } from './parts/diagnostics/validate-config.js';
export type { ValidationResult } from './parts/diagnostics/validate-config.js';
export { resolveConfig, DEFAULT_CATEGORY_IDS } from './gate/core/config.js';
export type {
  CategoryConfig,
  ConfigStatus,
  ConsentConfig,
  CookieInfo,
  CookieOptions,
  ReportOptions,
  ResolvedConfig,
  ServiceConfig,
  UiOptions,
} from './gate/core/config.js';
export { allows, decodeChoice, defaultState, encodeChoice, diffStates, staleReason, stateOf, storedState } from './gate/core/choice.js';
export type {
  ChoiceInput,
  ConsentMode,
  ConsentAction,
  ConsentChoice,
  ConsentDiff,
  ConsentSource,
  ConsentState,
  StaleReason,
} from './gate/core/choice.js';
export type { ChangeDetail, DecisionDetail } from './gate/core/events.js';
export type { ConsentRecord } from './gate/reporting/record.js';
export type { Sender, SenderModule } from './parts/sender/sender.js';
export { DATALAYER_EVENT } from './gate/integrations/start.js';
export type { DataLayerConsent } from './gate/integrations/start.js';
export { DEFAULT_MAPPING, SIGNALS } from './gate/integrations/consent-mode.js';
export type { ConsentModeOptions, Signal } from './gate/integrations/consent-mode.js';
export type { AuditSource } from './gate/audit-loader.js';
export type { AuditApi, AuditDetail, AuditFinding, AuditKind, AuditModule } from './parts/audit/types.js';
