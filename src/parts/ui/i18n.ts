/**
 * Resolves the texts to show: English is built in; other bundled languages are
 * JSON files fetched from `i18n/` beside this module (or `ui.i18nUrl`) only
 * when needed; `config.texts` overrides any key.
 */
import type { ResolvedConfig } from '../../gate/core/config.js';
import { logError } from '../../gate/core/log.js';
import { EN, type Texts } from './texts.js';
import { LANGUAGES, isRtl, pickLanguage } from './language.js';

/** The language, direction and texts of one rendering. */
export interface Locale {
  lang: string;
  dir: 'ltr' | 'rtl';
  texts: Texts;
}

/** Only known keys with string values: a translation file or override can add nothing else. */
const strings = (table: object | undefined): Partial<Texts> =>
  Object.fromEntries(Object.entries(table ?? {}).filter(([k, v]) => k in EN && typeof v == 'string'));

export async function loadLocale(config: Pick<ResolvedConfig, 'language' | 'texts'>, folder?: string): Promise<Locale> {
  let lang = pickLanguage(config);
  const primary = lang.split('-')[0];
  let bundled: Partial<Texts> = {};
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
  const texts = { ...EN, ...bundled, ...strings(own[primary]), ...strings(own[lang]) };
  return { lang, dir: isRtl(lang) ? 'rtl' : 'ltr', texts };
}
