/**
 * Picks the language of the texts: the one picker of every part that shows
 * text (the UI, the corner, the placeholders), so free of Lit.
 */
import type { ResolvedConfig } from '../../gate/core/config.js';

/** Languages with a translation file written for consentkit (English is built in). */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'ar', 'he'];

/** Right-to-left scripts among the languages we may show. */
export const isRtl = (lang: string): boolean => /^(ar|he|fa|ur)\b/.test(lang);

/**
 * `config.language`, then `<html lang>`, then the browser's languages: the
 * first one we have texts for (bundled, or given in `config.texts`). English otherwise.
 */
export function pickLanguage(config: Pick<ResolvedConfig, 'language' | 'texts'>): string {
  const wanted: (string | undefined)[] = [config.language, document.documentElement.lang, ...navigator.languages];
  for (const tag of wanted) {
    if (!tag) continue;
    const primary = tag.toLowerCase().split('-')[0];
    if (tag in config.texts) return tag;
    if (LANGUAGES.includes(primary) || primary in config.texts) return primary;
  }
  return 'en';
}
