/**
 * The UI entry (`consentkit-ui.js`, `window.consentkitParts.ui`; `consentkit/ui` for
 * ESM): registers the elements and mounts them for a kit. Loaded by the gate
 * only when something must be shown.
 */
import type { ConsentKit } from '../core/consent-kit.js';
import { ConsentkitBanner } from './banner.js';
import { loadLocale, type Locale } from './i18n.js';
import type { UiOptions } from './options.js';
import { ConsentkitPreferences } from './preferences.js';

/** The npm copy and the tag copy may both be on a page: register once. */
const define = (name: string, element: CustomElementConstructor) => {
  if (!customElements.get(name)) customElements.define(name, element);
};
define('consentkit-banner', ConsentkitBanner);
define('consentkit-preferences', ConsentkitPreferences);

declare global {
  interface HTMLElementTagNameMap {
    'consentkit-banner': ConsentkitBanner;
    'consentkit-preferences': ConsentkitPreferences;
  }
}

const setups = new WeakMap<ConsentKit, Promise<{ locale: Locale; options: UiOptions }>>();

/** Shows the banner or opens the preferences dialog for `kit`, creating the element once. */
export async function mount(kit: ConsentKit, view: 'banner' | 'preferences'): Promise<void> {
  let setup = setups.get(kit);
  if (!setup) {
    const options = kit.config.ui;
    setup = loadLocale(kit.config, options.i18nUrl).then((locale) => ({ locale, options }));
    setups.set(kit, setup);
  }
  const { locale, options } = await setup;
  const tag = `consentkit-${view}` as const;
  let el = document.querySelector(tag);
  if (!el) {
    el = document.createElement(tag);
    Object.assign(el, { kit, locale, options });
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

export { ConsentkitBanner, ConsentkitPreferences };
