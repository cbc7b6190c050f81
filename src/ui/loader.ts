/**
 * The gate's side of the UI, deliberately without Lit: it decides whether the
 * banner is needed, draws the small "way back" button and handles
 * `data-consentkit="preferences"`. The Lit bundle (`consentkit-ui.js`) is
 * downloaded only when something must be shown, so returning visitors never fetch it.
 */
import type { ConsentKit } from '../core/consent-kit.js';
import { logError } from '../core/log.js';
import { ownScriptUrl } from '../core/trusted-types.js';
import { isRtl } from './language.js';

/** What the UI bundle exports (the `consentkitUI` global of `consentkit-ui.js`). */
export interface UiModule {
  /** Renders the banner or opens the preferences dialog for `kit`. */
  mount(kit: ConsentKit, view: 'banner' | 'preferences'): Promise<void>;
}

/** How to get the UI: a function resolving to it (`() => import('consentkit/ui')`), or `false` for none. */
export type UiSource = (() => Promise<UiModule>) | false;

declare global {
  interface Window {
    /** Set by `consentkit-ui.js` when it has run. */
    consentkitUI?: UiModule;
  }
}

const ICON_PATH =
  'M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5Zm-4 9a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm5 4a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm-4-8a1 1 0 1 1 0 2 1 1 0 0 1 0-2Z';

/** The cookie icon, built as DOM: `innerHTML` is a Trusted Types sink. */
function icon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICON_PATH);
  svg.append(path);
  return svg;
}

const FLOATING_CSS =
  'button{all:initial;position:fixed;bottom:16px;inset-inline-start:16px;z-index:2147483000;display:flex;align-items:center;gap:8px;padding:10px;border-radius:22px;cursor:pointer;font:600 14px var(--consentkit-font,system-ui);background:var(--consentkit-accent,#1d4ed8);color:var(--consentkit-on-accent,#fff);box-shadow:0 0 0 2px #fff}button:focus-visible{outline:3px solid var(--consentkit-focus,#1d4ed8);outline-offset:2px}svg{width:24px;height:24px;fill:currentColor}';

/** The UI file beside the running gate script, with its CSP nonce. */
function sibling(gate: HTMLScriptElement | null): UiSource {
  if (!gate?.src) return false;
  const src = new URL('consentkit-ui.js', gate.src).href;
  const nonce = gate.nonce;
  return () =>
    new Promise<UiModule>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = ownScriptUrl(src);
      s.nonce = nonce;
      s.onload = () => {
        const ui = window.consentkitUI;
        if (!ui) reject(new Error(`${src} did not start`));
        // The load event fires in the task that evaluated the file: render the
        // banner in a task of its own so neither makes a long task alone.
        else setTimeout(resolve, 0, ui);
      };
      s.onerror = () => {
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(s);
    });
}

/**
 * Wires the UI to `kit`: `showBanner`/`showPreferences`, the floating button,
 * the preferences attribute, and the banner when the visitor has not decided.
 * Must run synchronously while the gate script executes (it reads `document.currentScript`).
 */
export function startUi(kit: ConsentKit, source?: UiSource): void {
  const get = source ?? sibling(document.currentScript as HTMLScriptElement | null);
  let loading: Promise<UiModule> | undefined;
  const load = (): Promise<UiModule> =>
    (loading ??= get
      ? get().catch((e: unknown) => {
          loading = undefined;
          throw e;
        })
      : Promise.reject(new Error('no UI: pass init(config, { ui: () => import("consentkit/ui") })')));
  const open = (view: 'banner' | 'preferences') => {
    load()
      .then((ui) => ui.mount(kit, view))
      .catch((e: unknown) => {
        logError(e);
      });
  };
  kit.showBanner = () => {
    open('banner');
  };
  kit.showPreferences = () => {
    open('preferences');
  };

  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('[data-consentkit="preferences"]')) {
      e.preventDefault();
      open('preferences');
    }
  });

  const config = kit.config;
  const optOut = kit.mode == 'opt-out';
  let host: HTMLElement | undefined;
  const floating = () => {
    // The gate carries no translations (returning visitors never download
    // them): the label is the site's own text, else English marked as such.
    const tag = config.language ?? document.documentElement.lang;
    const lang = tag in config.texts ? tag : tag.split('-')[0];
    const own = config.texts[lang] as Record<string, string | undefined> | undefined;
    const label = own?.[optOut ? 'optout.link' : 'floating.label'];
    host = document.createElement('consentkit-floating');
    host.lang = label ? lang : 'en';
    host.dir = label && isRtl(lang) ? 'rtl' : 'ltr';
    const root = host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(FLOATING_CSS);
    root.adoptedStyleSheets = [sheet];
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('part', 'floating');
    const text = label ?? (optOut ? 'Do Not Sell or Share My Personal Information' : 'Privacy settings');
    button.append(icon());
    if (optOut) button.append(text);
    else button.title = text;
    button.setAttribute('aria-label', text);
    button.onclick = () => {
      open('preferences');
    };
    // Start downloading while the pointer or focus is on the way.
    button.onpointerenter = button.onfocus = () => {
      load().catch(() => undefined);
    };
    root.append(button);
    document.body.append(host);
  };

  const sync = () => {
    if (!kit.ok) return;
    const decided = kit.getState().decided;
    if (config.ui.floatingButton !== false && (decided || optOut)) {
      if (!host) floating();
    } else {
      host?.remove();
      host = undefined;
    }
    if (!decided && !optOut) open('banner');
  };
  kit.onChange(sync);
  if (document.readyState != 'loading') sync();
  else document.addEventListener('DOMContentLoaded', sync, { once: true });
}
