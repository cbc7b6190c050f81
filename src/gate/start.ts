/**
 * Starts the SDK: the shared body of `init()` (ESM) and the one-tag build.
 * Kept apart from `index.ts` so the one-tag bundle does not pull in the ESM
 * defaults (`import()` of the UI and audit modules).
 */
import { startBlocker } from './blocker/blocker.js';
import { resolveConfig } from './core/config.js';
import { createConsentKit, install, installed, type ConsentKit, type KitEnvironment } from './core/consent-kit.js';
import { logError } from './core/log.js';
import { configureScriptUrls } from './core/trusted-types.js';
import { detectEnvironment } from './integrations/environment.js';
import { startIntegrations } from './integrations/start.js';
import { startReporter } from './reporting/reporter.js';
import { startUi, type UiSource } from './ui-loader.js';
import { startAudit, type AuditSource } from './audit-loader.js';
import { partLoader, type PartSources } from './parts.js';

/** Options for `start()` beyond the JSON config. */
export interface StartOptions extends KitEnvironment {
  /** Put the API on `window.consentkit` and run calls queued there (default true). */
  global?: boolean;
  /**
   * Where the on-demand parts come from (`ui`, `audit`, `corner`, …): functions resolving
   * to each module. A part with none is loaded from beside the gate's script file.
   */
  parts?: PartSources;
}

/** Options for `init()` beyond the JSON config. */
export interface InitOptions extends StartOptions {
  /**
   * Where the banner comes from: a function resolving to the UI module, or `false`
   * for none. Default: `import('consentkit/ui')` for `init()`; the one-tag build
   * loads `consentkit-ui.js` from beside itself.
   */
  ui?: UiSource;
  /**
   * Where audit mode's code comes from when it is switched on. Default:
   * `import('consentkit/audit')` for `init()`; the one-tag build loads
   * `consentkit-audit.js` from beside itself.
   */
  audit?: AuditSource;
  /**
   * Where the other on-demand parts come from (`corner`, `embeds`, `sender`, `diagnostics`, …): functions resolving
   * to each module. Default: `import()` for `init()`; the one-tag build loads
   * `consentkit-<part>.js` from beside itself.
   */
  parts?: PartSources;
}

/**
 * Starts consentkit with a config object and returns its API. A second call
 * on the same page (say the npm copy and the tag copy) returns the first API.
 * `init()` (ESM) turns its `ui` and `audit` options into `parts` first, so the
 * one-tag gate carries no code for options it is never given.
 */
export function start(config?: unknown, options: StartOptions = {}): ConsentKit {
  const existing = installed();
  if (existing) return existing;
  // Reads the gate's own <script> (its address and nonce): synchronously, here.
  // Made before the blocker, which fetches its placeholders (the embeds part) with it.
  const gate = document.currentScript as HTMLScriptElement | null;
  const load = partLoader(gate, options.parts);
  // The one place the config as given is read; every module reads the result.
  const resolved = resolveConfig(config);
  // Region, mode and GPC decide the undecided state, so they come first;
  // `options` (tests, ESM callers) override what is detected.
  const kit = createConsentKit(resolved, detectEnvironment(resolved, options), () => load('diagnostics'));
  // Order matters: integrations first (consent defaults must reach the
  // dataLayer before any tag runs), then the blocker (it runs what is
  // granted), then reporting and the UI.
  startIntegrations(kit);
  configureScriptUrls(resolved);
  try {
    startBlocker(kit, load);
  } catch (e) {
    // Marked elements stay blocked; the API keeps working.
    logError('blocker failed to start:', e);
  }
  startReporter(kit, load);
  startUi(kit, load);
  // Last, and nothing unless switched on: audit mode.
  startAudit(kit, load, gate?.src ? new URL('.', gate.src).href : undefined);
  return options.global === false ? kit : install(kit);
}

