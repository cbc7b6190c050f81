/**
 * The gate's side of the UI, deliberately without Lit: it decides whether the
 * banner is needed, handles `data-consentkit="preferences"` and
 * `data-consentkit="withdraw"`, and fetches the rest only when needed: the
 * banner (`consentkit-ui.js`, Lit) when a choice must be asked or the visitor
 * opens the preferences; the preferences dialog (`consentkit-preferences.js`,
 * after the banner's file, whose Lit it uses) when the visitor moves toward it
 * (pointer or focus on a Preferences button), at idle time after the banner
 * shows, or when it is opened; the corner buttons (`consentkit-corner.js`) at
 * idle time once there is something to show. Returning visitors never fetch the UI.
 */
import type { ConsentKit } from './core/consent-kit.js';
import { logError } from './core/log.js';
import { whenIdle, type LoadPart, type UiModule } from './parts.js';

export type { UiModule };

/** How to get the UI: a function resolving to it (`() => import('consentkit/ui')`), or `false` for none. */
export type UiSource = (() => Promise<UiModule>) | false;

/**
 * Wires the UI to `kit`: `showBanner`/`showPreferences`, the page's
 * preferences and withdraw controls, the banner when the visitor has not
 * decided, and the corner buttons once they have (or in opt-out mode).
 */
export function startUi(kit: ConsentKit, load: LoadPart): void {
  /** The UI part, and for the dialog the preferences part too (it runs on the UI part's Lit). */
  const parts = (view: 'banner' | 'preferences') =>
    load('ui').then((ui) => (view == 'preferences' ? load('preferences').then(() => ui) : ui));
  /** Fetches what the preferences need before they are opened; a failure is retried on opening. */
  const preloadPreferences = () => {
    parts('preferences').catch(() => undefined);
  };
  /** Shows a view; `ask`: the banner asking for a first choice, not shown once another tab made one. */
  const open = (view: 'banner' | 'preferences', ask?: boolean) => {
    parts(view)
      // A file's load event fires in the task that evaluated it: render in a
      // task of its own so neither makes a long task alone.
      .then((ui) => new Promise<typeof ui>((resolve) => setTimeout(resolve, 0, ui)))
      .then((ui) => (ask && kit.getState().decided ? undefined : ui.mount(kit, view, preloadPreferences)))
      .then(() => {
        // Once the banner is up, the dialog its Preferences button opens.
        if (view == 'banner') whenIdle(preloadPreferences);
      })
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

  // One click from any page: withdrawing must be as easy as consenting (GDPR Art. 7(3)).
  document.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? e.target.closest('[data-consentkit=preferences],[data-consentkit=withdraw]') : null;
    if (!el) return;
    e.preventDefault();
    if (el.getAttribute('data-consentkit') == 'withdraw') kit.withdraw('page');
    else open('preferences');
  });

  const { ui } = kit.config;
  const optOut = kit.mode == 'opt-out';
  let corner = false;
  const sync = () => {
    // A decision made while the page is parsed (the GPC opt-out record) has no
    // body to draw into yet; the DOMContentLoaded run below picks it up.
    if (!kit.ok || document.readyState == 'loading') return;
    // Undecided where consent comes first (opt-in): ask.
    if (!optOut && !kit.getState().decided) {
      open('banner', true);
      return;
    }
    // The corner keeps itself in step from here on.
    if (corner || (!ui.floatingButton && !ui.withdrawButton && !kit.gpc)) return;
    corner = true;
    whenIdle(() => {
      load('corner')
        .then((part) => {
          part.startCorner(kit, open, preloadPreferences);
        })
        .catch((e: unknown) => {
          logError(e);
        });
    });
  };
  kit.onChange(sync);
  // A gate that starts after the page was parsed (`defer`, `init()` in an app) asks in the
  // next task: starting the banner's download there would lengthen the gate's own task.
  if (document.readyState != 'loading') setTimeout(sync);
  else {
    document.addEventListener('DOMContentLoaded', sync, { once: true });
    // Undecided where consent comes first: fetch the banner's file while the page is
    // still parsed; it is drawn once there is a body to draw into. In the task after
    // the gate's own, not in it: starting the first request of the page costs a slow
    // CPU several milliseconds, which the parser would otherwise wait for.
    if (kit.ok && !optOut && !kit.getState().decided)
      setTimeout(() => {
        load('ui').catch(() => undefined);
      });
  }
}
