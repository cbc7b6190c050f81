/**
 * The UI entry (`consentkit-ui.js`, `window.consentkitParts.ui`; `consentkit/ui` for
 * ESM): registers the banner and mounts the banner or the preferences dialog for a
 * kit. Loaded by the gate only when something must be shown. The dialog is a part
 * of its own (`define-preferences.ts`, loaded after this one), built on the Lit and
 * the modules exported here as `shared`.
 */
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { ConsentkitBanner } from './banner.js';
import { loadLocale, type Locale } from './i18n.js';
import { define } from './kit-element.js';
import type { UiOptions } from '../diagnostics/ui-options.js';

define('consentkit-banner', ConsentkitBanner);

declare global {
  interface HTMLElementTagNameMap {
    'consentkit-banner': ConsentkitBanner;
  }
}

const setups = new WeakMap<ConsentKit, Promise<{ locale: Locale; options: UiOptions }>>();

/**
 * Shows the banner or opens the preferences dialog for `kit`, creating the element
 * once. The dialog must be registered first (the preferences part). The banner's
 * Preferences button calls `preloadPreferences` when the pointer or focus reaches it.
 */
export async function mount(kit: ConsentKit, view: 'banner' | 'preferences', preloadPreferences?: () => void): Promise<void> {
  let setup = setups.get(kit);
  if (!setup) {
    const options = kit.config.ui;
    setup = loadLocale(kit.config, options.i18nUrl).then((locale) => ({ locale, options }));
    setups.set(kit, setup);
  }
  const { locale, options } = await setup;
  const tag = `consentkit-${view}` as const;
  if (!customElements.get(tag)) throw new Error(`<${tag}> is not registered: load the preferences part first`);
  let el = document.querySelector(tag);
  if (!el) {
    el = document.createElement(tag);
    Object.assign(el, { kit, locale, options }, view == 'banner' && { preloadPreferences });
    el.setAttribute('theme', options.theme);
    el.lang = locale.lang;
    el.dir = locale.dir;
    // First in the tab order, so keyboard users meet the banner before the page.
    if (view == 'banner') document.body.prepend(el);
    else document.body.append(el);
  }
  el.show();
  await el.updateComplete;
  kit.shown = { language: locale.lang, texts: { ...locale.texts } };
}

export { ConsentkitBanner };
export { shared } from './shared.js';
