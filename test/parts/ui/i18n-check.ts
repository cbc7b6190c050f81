/**
 * The check every translation file must pass (`i18n-keys.test.ts`): exactly the
 * English keys, no empty string, every `{placeholder}` of the English kept and
 * none added, nothing left in English except the words on `SAME_AS_ENGLISH`, and the
 * banner text naming the corner button's label as it is.
 */

/**
 * Keys whose text may equal the English one in a language, because the word is
 * the same there: a true cognate or a borrowed term, checked one by one.
 */
export const SAME_AS_ENGLISH: Partial<Record<string, string[]>> = {
  // The English word is the usual one in these languages' consent notices.
  'prefs.cookies': ['da', 'de', 'el', 'es', 'fr', 'mt', 'nl', 'pt', 'pt-BR'],
  // German "Name", French "Services" and "Date": the same word, pronounced their own way.
  'cookie.name': ['de'],
  'prefs.services': ['fr'],
  'prefs.date': ['fr'],
};

/** The `{names}` in a text, sorted. */
export const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What is wrong with `table` as the translation `lang` of `english`: one line per problem, none when it is right. */
export function problemsOf(lang: string, table: unknown, english: Record<string, string>): string[] {
  if (!table || typeof table != 'object' || Array.isArray(table)) return [`${lang}: not a JSON object`];
  const problems: string[] = [];
  const entries = table as Record<string, unknown>;
  for (const key of Object.keys(english)) if (!(key in entries)) problems.push(`${lang}: lacks ${key}`);
  for (const [key, value] of Object.entries(entries)) {
    if (!(key in english)) {
      problems.push(`${lang}: has ${key}, which English lacks`);
      continue;
    }
    if (typeof value != 'string' || !value.trim()) {
      problems.push(`${lang}: ${key} is empty or not a string`);
      continue;
    }
    const want = placeholders(english[key]).join(', ');
    const got = placeholders(value).join(', ');
    if (want != got) problems.push(`${lang}: ${key} has placeholders {${got}}, English {${want}}`);
    if (value == english[key] && !SAME_AS_ENGLISH[key]?.includes(lang)) problems.push(`${lang}: ${key} is the English text`);
  }
  // The banner tells where to change the choice: by the corner button's name, word for word.
  const label = entries['floating.label'];
  const text = entries['banner.text'];
  if (typeof label == 'string' && typeof text == 'string' && !text.includes(label.replaceAll('\u00ad', ''))) {
    problems.push(`${lang}: banner.text does not name floating.label ("${label}") word for word`);
  }
  return problems;
}
