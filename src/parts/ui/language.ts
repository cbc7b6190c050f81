/**
 * Picks the language of the texts: the one picker of every part that shows
 * text (the UI, the corner, the placeholders), so free of Lit.
 */
import type { ResolvedConfig } from '../../gate/core/config.js';

/**
 * Languages with texts written for consentkit: English built in, every other one a
 * file `i18n/<code>.json`. `pt` is European Portuguese, `pt-BR` Brazilian;
 * `zh-Hans` is Simplified Chinese, `zh-Hant` Traditional; `no` is Norwegian Bokmål.
 */
export const LANGUAGES = [
  'en', 'bg', 'cs', 'da', 'de', 'el', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'it', 'lt', 'lv', 'mt', 'nl', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv',
  'ar', 'ca', 'fa', 'he', 'hi', 'id', 'ja', 'ko', 'no', 'pt-BR', 'ru', 'th', 'tr', 'uk', 'ur', 'vi', 'zh-Hans', 'zh-Hant',
];

/** Right-to-left scripts among the languages we may show. */
export const isRtl = (lang: string): boolean => /^(ar|he|fa|ur)\b/i.test(lang);

/**
 * Tags served by a file of another name: Hebrew's old code, Norwegian's written forms, and the
 * Chinese regions that write Traditional characters (any other `zh` is Simplified). A Map,
 * so that a tag such as `constructor` finds nothing.
 */
const ALIASES = new Map([
  ['iw', 'he'],
  ['nb', 'no'],
  ['nn', 'no'],
  ['zh', 'zh-Hans'],
  ['zh-tw', 'zh-Hant'],
  ['zh-hk', 'zh-Hant'],
  ['zh-mo', 'zh-Hant'],
]);

/** The key of `texts` that is `tag` in any case, if there is one. */
export const ownKey = (texts: object, tag: string): string | undefined => Object.keys(texts).find((k) => k.toLowerCase() == tag.toLowerCase());

/**
 * The language that serves `tag` (any case, `-` or `_`): the tag, then shorter and shorter
 * (RFC 4647 lookup), each as a key of `texts` (`config.texts`), an alias or a bundled file.
 * Without `texts`, the bundled file: `zh-Hant-HK` → `zh-Hant`, `zh-TW` → `zh-Hant`,
 * `zh-CN` → `zh-Hans`; `pt-BR` → `pt-BR`, `pt-PT` → `pt`; `nb-NO` → `no`; `iw` → `he`;
 * `de-AT` → `de`; undefined for a language we have no file for.
 */
export function languageFor(tag: string, texts: object = {}): string | undefined {
  for (let t = tag.toLowerCase().replace(/_/g, '-'); t; t = t.replace(/-?[^-]*$/, '')) {
    const found = ownKey(texts, t) ?? ALIASES.get(t) ?? LANGUAGES.find((l) => l.toLowerCase() == t);
    if (found) return found;
  }
  return undefined;
}

/**
 * `config.language`, then `<html lang>`, then the browser's languages: the first one
 * we have texts for, most specific first (`de-AT` in `config.texts`, else the `de`
 * file). English otherwise.
 */
export function pickLanguage(config: Pick<ResolvedConfig, 'language' | 'texts'>): string {
  const wanted: (string | undefined)[] = [config.language, document.documentElement.lang, ...navigator.languages];
  for (const tag of wanted) {
    const found = tag && languageFor(tag, config.texts);
    if (found) return found;
  }
  return 'en';
}
