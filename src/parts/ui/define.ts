/**
 * The UI entry (`consentkit-ui.js`, `window.consentkitParts.ui`; `consentkit/ui` for
 * ESM): registers the banner and mounts the banner or the preferences dialog for a
 * kit. Loaded by the gate only when something must be shown. The dialog is a part
 * of its own (`define-preferences.ts`, loaded after this one), built on the Lit and
 * the modules exported here as `shared`.
 */
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { ConsentkitBanner } from './banner.js';
import { loadTexts, type Locale } from './i18n.js';
import { define } from './kit-element.js';
import { BANNER_EN } from './texts.js';
import type { ConsentkitPreferences } from '../preferences/preferences.js';

define('consentkit-banner', ConsentkitBanner);

declare global {
  interface HTMLElementTagNameMap {
    'consentkit-banner': ConsentkitBanner;
  }
}

/** The dialog's tag: its element class carries the English of the dialog's own texts (`english`). */
const DIALOG = 'consentkit-preferences';

/** Each kit's texts: the banner's alone, and the banner's with the dialog's. */
const locales = new WeakMap<ConsentKit, { banner: Promise<Locale>; full?: Promise<Locale> }>();

/**
 * The texts of the banner, or (`full`) of the banner and the dialog, in the language the kit
 * picks. The dialog's English comes with its part, so `full` needs the dialog registered
 * (without it, the texts are the banner's alone).
 */
function localeFor(kit: ConsentKit, full: boolean): Promise<Locale> {
  const folder = kit.config.ui.i18nUrl;
  let texts = locales.get(kit);
  // Typed with every key: the banner's own locale holds only the banner's, and it renders no other.
  if (!texts) locales.set(kit, (texts = { banner: loadTexts(kit.config, BANNER_EN, folder) as Promise<Locale> }));
  const dialog = customElements.get(DIALOG) as typeof ConsentkitPreferences | undefined;
  if (!full || !dialog) return texts.banner;
  return (texts.full ??= loadTexts(kit.config, { ...BANNER_EN, ...dialog.english }, folder));
}

/**
 * Sets `kit.shown`, which every consent record hashes: all the texts the visitor can reach,
 * the banner's and those of the dialog its Preferences button opens (the banner's alone
 * while the dialog is not registered: then it could not be seen).
 */
const setShown = (kit: ConsentKit): Promise<void> =>
  localeFor(kit, true).then(({ lang, texts }) => {
    kit.shown = { language: lang, texts: { ...texts } };
  });

/** A decision on the banner before `kit.shown` is set: fetches the dialog's part (`load`) if need be, then sets it. */
const proven = new WeakMap<ConsentKit, Promise<void>>();
function proveShown(kit: ConsentKit, load?: () => Promise<unknown>): Promise<void> {
  let done = proven.get(kit);
  if (!done) proven.set(kit, (done = Promise.resolve(customElements.get(DIALOG) ? undefined : load?.()).then(() => setShown(kit))));
  return done;
}

/**
 * Shows the banner or opens the preferences dialog for `kit`, creating the element
 * once. The dialog must be registered first (the preferences part). The banner's
 * Preferences button calls `preloadPreferences` when the pointer or focus reaches it;
 * a decision on the banner before the dialog's part has run waits for it (see `proveShown`).
 */
export async function mount(kit: ConsentKit, view: 'banner' | 'preferences', preloadPreferences?: () => Promise<unknown>): Promise<void> {
  const options = kit.config.ui;
  const tag = `consentkit-${view}` as const;
  if (!customElements.get(tag)) throw new Error(`<${tag}> is not registered: load the preferences part first`);
  const locale = await localeFor(kit, view == 'preferences');
  let el = document.querySelector(tag);
  if (!el) {
    el = document.createElement(tag);
    Object.assign(el, { kit, locale, options }, view == 'banner' && { preloadPreferences, beforeDecision: () => (kit.shown ? undefined : proveShown(kit, preloadPreferences)) });
    el.setAttribute('theme', options.theme);
    el.lang = locale.lang;
    el.dir = locale.dir;
    // First in the tab order, so keyboard users meet the banner before the page.
    if (view == 'banner') document.body.prepend(el);
    else document.body.append(el);
  }
  el.show();
  await el.updateComplete;
  // The banner's before the dialog's part has run: once it has (the gate fetches it at idle time after the banner shows).
  if (customElements.get(DIALOG)) await setShown(kit);
  else void customElements.whenDefined(DIALOG).then(() => setShown(kit));
}

export { ConsentkitBanner };
export { shared } from './shared.js';
