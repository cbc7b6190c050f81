/**
 * The gate's loader for the files that load only when needed. Each part is a
 * file of its own beside the gate (`consentkit-<name>.js`, which puts its
 * exports on `window.consentkitParts[name]`), or, for ESM builds, a function
 * resolving to the module (`() => import('consentkit/corner')`).
 *
 * The gate itself (`consentkit.js`) holds only what must run synchronously
 * before other scripts; everything here is fetched with the gate's CSP nonce
 * and through its Trusted Types policy.
 */
import type { AuditModule } from '../parts/audit/types.js';
import type { ConsentKit } from './core/consent-kit.js';
import type { ResolvedConfig } from './core/config.js';
import { loadOwnScript } from './core/trusted-types.js';
import type { SenderModule } from '../parts/sender/sender.js';

/** What the UI part exports (`consentkit-ui.js`, `consentkit/ui`). */
export interface UiModule {
  /**
   * Renders the banner or opens the preferences dialog for `kit` (registered by the
   * preferences part, loaded first). The banner calls `preloadPreferences` when the
   * visitor moves toward its Preferences button.
   */
  mount(kit: ConsentKit, view: 'banner' | 'preferences', preloadPreferences?: () => void): Promise<void>;
}

/** What each on-demand part exports. Filled in by the parts as they are added. */
export interface Parts {
  /** `consentkit-ui.js`: the banner (Lit), and what the preferences part shares with it. */
  ui: UiModule;
  /**
   * `consentkit-preferences.js`: the preferences dialog, registered as it runs. Load
   * it after `ui`: the file takes Lit and the shared modules from that part.
   */
  preferences: { ConsentkitPreferences: CustomElementConstructor };
  /**
   * `consentkit-corner.js`: the corner buttons (way back, withdraw, GPC notice).
   * `preload` starts fetching what `open('preferences')` needs.
   */
  corner: { startCorner(kit: ConsentKit, open: (view: 'banner' | 'preferences') => void, preload: () => void): void };
  /** `consentkit-sender.js`: delivers the consent records the gate put in the outbox. */
  sender: SenderModule;
  /** `consentkit-audit.js`: audit mode. */
  audit: AuditModule;
  /** `consentkit-embeds.js`: the placeholders standing in for blocked iframes (built once their texts are loaded). */
  embeds: { placeholderFor(kit: ConsentKit, el: Element, expr: string, loadOnce: () => void): Promise<HTMLElement> };
  /** `consentkit-diagnostics.js`: names each problem of a config in the console. */
  diagnostics: { reportConfig(config: ResolvedConfig): void };
}

/** A part's name (`corner`, `audit`, …). */
export type PartName = keyof Parts;

/** Where the parts come from in ESM builds: a function resolving to each module. */
export type PartSources = { [K in PartName]?: () => Promise<Parts[K]> };

declare global {
  interface Window {
    /** Exports of the part files that have run (`consentkit-corner.js` sets `corner`, …). */
    consentkitParts?: Partial<Parts>;
  }
}

/** Loads a part once (again after a failure); resolves to its exports. */
export type LoadPart = <K extends PartName>(name: K) => Promise<Parts[K]>;

/**
 * A loader for the parts. A part with no source is fetched from beside `gate`
 * (the running gate script, `document.currentScript`) with its nonce.
 */
export function partLoader(gate: HTMLScriptElement | null, sources: PartSources = {}): LoadPart {
  const loading = new Map<PartName, Promise<unknown>>();
  const fromFile = (name: PartName): Promise<unknown> => {
    if (!gate?.src) return Promise.reject(new Error(`no ${name} part: the gate is not a script file and no source was given`));
    const src = new URL(`consentkit-${name}.js`, gate.src).href;
    return loadOwnScript(src, gate.nonce).then(() => {
      const part = window.consentkitParts?.[name];
      if (!part) throw new Error(`${src} did not start`);
      return part;
    });
  };
  const load = (name: PartName): Promise<unknown> => {
    let promise = loading.get(name);
    if (!promise) {
      promise = (sources[name]?.() ?? fromFile(name)).catch((e: unknown) => {
        // A failed download may succeed later (the visitor clicks again).
        loading.delete(name);
        throw e;
      });
      loading.set(name, promise);
    }
    return promise;
  };
  return load as LoadPart;
}

/** Runs `fn` when the main thread is idle (or soon, where the browser cannot tell). */
export const whenIdle = (fn: () => void): void => {
  if (typeof requestIdleCallback == 'function') requestIdleCallback(fn, { timeout: 2000 });
  else setTimeout(fn, 1);
};
