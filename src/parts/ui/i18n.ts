/**
 * Resolves the texts to show, for every part the same way: the language from
 * `pickLanguage`, English built into each part (only its own keys), other
 * bundled languages as JSON files fetched from `i18n/` beside the part's file
 * (or `ui.i18nUrl`) only when needed; `config.texts` overrides any key.
 */
import type { ResolvedConfig } from '../../gate/core/config.js';
import { logError } from '../../gate/core/log.js';
import { EN, type Texts } from './texts.js';
import { LANGUAGES, isRtl, pickLanguage } from './language.js';

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
  const primary = lang.split('-')[0];
  let bundled: Partial<T> = {};
  if (primary != 'en' && LANGUAGES.includes(primary)) {
    let where = `${folder ?? 'i18n/'}${primary}.json`;
    try {
      // Beside this module unless `ui.i18nUrl` says otherwise. Inside the try: a
      // bundle without `import.meta.url` (an IIFE build) gets English, not a crash.
      const url = new URL(`${primary}.json`, folder ? new URL(folder.replace(/\/?$/, '/'), location.href) : new URL('i18n/', import.meta.url));
      where = url.href;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      bundled = strings((await res.json()) as object);
    } catch (e) {
      logError(`could not load ${where}:`, e);
      // Without the translation the page shows English, and says so in lang.
      if (!(lang in config.texts) && !(primary in config.texts)) lang = 'en';
    }
  }
  const own = config.texts as Partial<Record<string, object>>;
  const texts = { ...english, ...bundled, ...strings(own[primary]), ...strings(own[lang]) };
  return { lang, dir: isRtl(lang) ? 'rtl' : 'ltr', texts };
}

/** The texts of the banner and the preferences dialog. */
export const loadLocale = (config: Pick<ResolvedConfig, 'language' | 'texts'>, folder?: string): Promise<Locale> => loadTexts(config, EN, folder);
