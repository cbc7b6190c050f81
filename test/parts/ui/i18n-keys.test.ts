import { expect } from '@open-wc/testing';
import { LANGUAGES } from '../../../src/parts/ui/language.js';
import { CORNER_EN, EN, PLACEHOLDER_EN } from '../../../src/parts/ui/texts.js';
import { problemsOf } from './i18n-check.js';

/** Every visitor-facing English string: the UI's, the corner's and the placeholders'. */
const ALL_EN: Record<string, string> = { ...EN, ...CORNER_EN, ...PLACEHOLDER_EN };

const fileOf = async (lang: string): Promise<unknown> => {
  const res = await fetch(new URL(`../../../src/parts/ui/i18n/${lang}.json`, import.meta.url));
  expect(res.ok, `${lang}.json`).to.equal(true);
  return res.json();
};

describe('translation files', () => {
  it('ship at least 36 languages, English built in', () => {
    expect(LANGUAGES).to.include('en');
    expect(new Set(LANGUAGES).size).to.equal(LANGUAGES.length);
    expect(LANGUAGES.length).to.be.at.least(36);
  });

  it('every one has exactly the English keys, no empty text, the same placeholders, nothing left in English, the corner button named as it is', async () => {
    const problems: string[] = [];
    for (const lang of LANGUAGES.filter((l) => l != 'en')) problems.push(...problemsOf(lang, await fileOf(lang), ALL_EN));
    expect(problems).to.deep.equal([]);
  });

  it('the check catches a missing key, an extra key, a wrong placeholder, an empty or English text, a banner text naming another label', async () => {
    const de = (await fileOf('de')) as Record<string, string>;
    const lacking = { ...de };
    delete lacking['banner.title'];
    expect(problemsOf('de', lacking, ALL_EN)).to.deep.equal(['de: lacks banner.title']);
    expect(problemsOf('de', { ...de, 'banner.subtitle': 'Mehr' }, ALL_EN)).to.deep.equal(['de: has banner.subtitle, which English lacks']);
    const renamed = de['placeholder.blocked'].replace('{category}', '{kategorie}');
    expect(problemsOf('de', { ...de, 'placeholder.blocked': renamed }, ALL_EN)).to.deep.equal([
      'de: placeholder.blocked has placeholders {kategorie, name}, English {category, name}',
    ]);
    expect(problemsOf('de', { ...de, 'placeholder.allow': 'Immer erlauben' }, ALL_EN)).to.deep.equal([
      'de: placeholder.allow has placeholders {}, English {category}',
    ]);
    expect(problemsOf('de', { ...de, 'placeholder.once': 'Einmal {name} laden' }, ALL_EN)).to.deep.equal([
      'de: placeholder.once has placeholders {name}, English {}',
    ]);
    expect(problemsOf('de', { ...de, close: ' ' }, ALL_EN)).to.deep.equal(['de: close is empty or not a string']);
    expect(problemsOf('de', { ...de, 'banner.rejectAll': 'Reject all' }, ALL_EN)).to.deep.equal(['de: banner.rejectAll is the English text']);
    // On the allow-list for German only.
    expect(problemsOf('de', { ...de, 'cookie.name': 'Name' }, ALL_EN)).to.deep.equal([]);
    expect(problemsOf('it', { ...de, 'cookie.name': 'Name' }, ALL_EN)).to.include('it: cookie.name is the English text');
    expect(problemsOf('de', [], ALL_EN)).to.deep.equal(['de: not a JSON object']);
    expect(problemsOf('de', { ...de, 'floating.label': 'Cookie-Einstellungen' }, ALL_EN)).to.deep.equal([
      'de: banner.text does not name floating.label ("Cookie-Einstellungen") word for word',
    ]);
  });
});
