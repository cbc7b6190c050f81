/**
 * Resolves the texts to show, for every part the same way: the language from
 * `pickLanguage`, English built into each part (only its own keys), other
 * bundled languages as JSON files fetched from `i18n/` beside the part's file
 * (or `ui.i18nUrl`) only when needed; `config.texts` overrides any key.
 */
import type { ResolvedConfig } from '../../gate/core/config.js';
import { logError } from '../../gate/core/log.js';
import { EN, type Texts } from './texts.js';
import { languageFor, isRtl, ownKey, pickLanguage } from './language.js';

/** The language, direction and texts of one rendering. */
export interface Locale<T = Texts> {
  lang: string;
  dir: 'ltr' | 'rtl';
  texts: T;
}

/**
 * The texts for `english`'s keys in the language `pickLanguage` finds (the
 * translation file is fetched from `folder`, default `i18n/` beside this module).
 * Only keys of `english` with string values are taken: a translation file or
 * override can add nothing else. Without the file the texts are English, and `lang` says so.
 */
export async function loadTexts<T extends Record<string, string>>(
  config: Pick<ResolvedConfig, 'language' | 'texts'>,
  english: T,
  folder?: string,
): Promise<Locale<T>> {
  const strings = (table: object | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(table ?? {}).filter(([k, v]) => k in english && typeof v == 'string')) as Partial<T>;
  let lang = pickLanguage(config);
  // The file serving `lang` (`de` for `de-AT`, `zh-Hant` for `zh-TW`), if we have one.
  const file = languageFor(lang);
  let bundled: Partial<T> = {};
  if (file && file != 'en') {
    // Beside this module unless `ui.i18nUrl` says otherwise (then relative to the page).
    const where = `${folder ? folder.replace(/\/?$/, '/') : 'i18n/'}${file}.json`;
    try {
      // Inside the try: a bundle without `import.meta.url` (an IIFE build) gets English, not a crash.
      const res = await fetch(new URL(where, folder ? location.href : import.meta.url));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      bundled = strings((await res.json()) as object);
    } catch (e) {
      logError(`could not load ${where}:`, e);
      // Without the translation the page shows English, and says so in lang.
      if (!ownKey(config.texts, lang)) lang = 'en';
    }
  }
  // Overrides, the more specific last: those for the file's language (`de`), then for the tag (`de-AT`).
  const own = (tag = '') => strings((config.texts as Partial<Record<string, object>>)[ownKey(config.texts, tag) ?? '']);
  const texts = { ...english, ...bundled, ...own(file), ...own(lang) };
  return { lang, dir: isRtl(lang) ? 'rtl' : 'ltr', texts };
}

/** The texts of the banner and the preferences dialog. */
export const loadLocale = (config: Pick<ResolvedConfig, 'language' | 'texts'>, folder?: string): Promise<Locale> => loadTexts(config, EN, folder);
