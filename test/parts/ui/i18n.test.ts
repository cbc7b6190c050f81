import { expect } from '@open-wc/testing';
import { formatDate } from '../../../src/parts/preferences/preferences.js';
import { loadLocale } from '../../../src/parts/ui/i18n.js';
import { languageFor, isRtl, pickLanguage } from '../../../src/parts/ui/language.js';

/** Captures console.error while `fn` runs. */
async function errorsOf(fn: () => Promise<void>): Promise<unknown[][]> {
  const errors: unknown[][] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => errors.push(a);
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return errors;
}

describe('texts and languages', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
  });

  it('maps regional and alternative tags to the file that serves them, in any case', () => {
    const cases: [string, string | undefined][] = [
      ['pt-BR', 'pt-BR'], ['pt-br', 'pt-BR'], ['PT_BR', 'pt-BR'], ['pt', 'pt'], ['pt-PT', 'pt'], ['pt-AO', 'pt'],
      ['zh', 'zh-Hans'], ['zh-CN', 'zh-Hans'], ['zh-SG', 'zh-Hans'], ['zh-Hans-CN', 'zh-Hans'], ['zh-hans', 'zh-Hans'],
      ['zh-TW', 'zh-Hant'], ['zh-HK', 'zh-Hant'], ['zh-MO', 'zh-Hant'], ['zh-Hant', 'zh-Hant'], ['zh-Hant-HK', 'zh-Hant'], ['ZH-HANT-TW', 'zh-Hant'],
      ['nb', 'no'], ['nn', 'no'], ['no', 'no'], ['nb-NO', 'no'], ['no-NO', 'no'], ['iw', 'he'], ['iw-IL', 'he'],
      ['de-AT', 'de'], ['DE', 'de'], ['fi-FI', 'fi'], ['en-GB', 'en'], ['fr-CA', 'fr'], ['ga-IE', 'ga'],
      ['xx', undefined], ['', undefined], ['kl-GL', undefined],
    ];
    for (const [tag, file] of cases) expect(languageFor(tag), tag).to.equal(file);
  });

  it('picks config.language, then <html lang>, then the browser, then English', () => {
    expect(pickLanguage({ language: 'fr', texts: {} })).to.equal('fr');
    document.documentElement.lang = 'de-AT';
    expect(pickLanguage({ texts: {} })).to.equal('de');
    document.documentElement.lang = 'zh-TW';
    expect(pickLanguage({ texts: {} })).to.equal('zh-Hant');
    document.documentElement.lang = 'xx';
    // Unknown page language: the browser's first language we have (the test browser's is English).
    expect(pickLanguage({ texts: {} })).to.equal(languageFor(navigator.languages[0]) ?? 'en');
    expect(pickLanguage({ language: 'zz', texts: {} })).to.equal(languageFor(navigator.languages[0]) ?? 'en');
    expect(pickLanguage({ language: 'tlh', texts: { TLH: { 'banner.title': 'Klingon' } } })).to.equal('TLH');
  });

  it('takes the most specific texts: the region in config.texts, then the bundled language, then its language in config.texts', () => {
    const texts = { 'de-at': { 'banner.title': 'Servus' }, kl: { 'banner.title': 'Kalaallisut' } };
    expect(pickLanguage({ language: 'de-AT', texts })).to.equal('de-at');
    expect(pickLanguage({ language: 'de-CH', texts })).to.equal('de');
    expect(pickLanguage({ language: 'kl-GL', texts })).to.equal('kl');
  });

  it('sets right to left for Arabic, Hebrew, Persian and Urdu only', () => {
    for (const lang of ['ar', 'he', 'fa', 'ur', 'ar-EG', 'AR']) expect(isRtl(lang), lang).to.equal(true);
    for (const lang of ['en', 'de', 'ja', 'th', 'hi', 'arn', 'fi']) expect(isRtl(lang), lang).to.equal(false);
  });

  it('loads a translation on demand, RTL for Arabic; config.texts override any key', async () => {
    const ar = await loadLocale({ language: 'ar', texts: { ar: { 'banner.title': 'ملفات تعريف الارتباط' } } });
    expect(ar).to.include({ lang: 'ar', dir: 'rtl' });
    expect(ar.texts['banner.title']).to.equal('ملفات تعريف الارتباط');
    expect(ar.texts['banner.rejectAll']).to.equal('رفض الكل');
  });

  it('falls back region → language → English: a regional override on top of the language file', async () => {
    const atAt = await loadLocale({ language: 'de-AT', texts: { 'de-AT': { 'banner.title': 'Servus' } } });
    expect(atAt.lang).to.equal('de-AT');
    expect(atAt.texts['banner.title']).to.equal('Servus');
    expect(atAt.texts['banner.acceptAll']).to.equal('Alle akzeptieren');
    const brazil = await loadLocale({ language: 'pt-BR', texts: {} });
    const portugal = await loadLocale({ language: 'pt-PT', texts: {} });
    expect([brazil.lang, portugal.lang]).to.deep.equal(['pt-BR', 'pt']);
    expect(brazil.texts['banner.text']).not.to.equal(portugal.texts['banner.text']);
    const taiwan = await loadLocale({ language: 'zh-TW', texts: { 'zh-Hant': { 'prefs.date': '日' }, 'zh-Hans': { close: '关' } } });
    expect(taiwan).to.include({ lang: 'zh-Hant', dir: 'ltr' });
    expect(taiwan.texts['prefs.date']).to.equal('日');
    expect(taiwan.texts.close).to.equal('關閉');
    const norway = await loadLocale({ language: 'nb-NO', texts: {} });
    expect(norway.lang).to.equal('no');
    expect(norway.texts['banner.acceptAll']).not.to.equal('Accept all');
  });

  it('falls back to English, with lang="en" and an error naming the file, when a translation cannot load or is broken', async () => {
    for (const folder of ['/nowhere/', new URL('fixtures/broken-i18n/', import.meta.url).href]) {
      let de = await loadLocale({ language: 'de', texts: {} });
      const errors = await errorsOf(async () => {
        de = await loadLocale({ language: 'de', texts: {} }, folder);
      });
      expect(de.lang, folder).to.equal('en');
      expect(de.texts['banner.acceptAll']).to.equal('Accept all');
      expect(errors).to.have.length(1);
      expect(errors[0].join(' ')).to.include(`${folder}de.json`);
    }
  });

  it('formats the receipt date in the visitor locale with Intl.DateTimeFormat; a tag Intl refuses does not throw', () => {
    const date = new Date(Date.UTC(2026, 10, 30, 12, 0));
    const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' };
    for (const lang of ['de', 'ar', 'ja', 'fi', 'pt-BR', 'zh-Hant']) {
      expect(formatDate(date, lang), lang).to.equal(new Intl.DateTimeFormat(lang, options).format(date));
    }
    expect(formatDate(date, 'de')).to.include('November 2026');
    expect(formatDate(date, 'fi')).to.include('marraskuuta 2026');
    expect(formatDate(date, 'ja')).to.include('2026年11月30日');
    expect(formatDate(date, 'not a tag!')).to.equal(new Intl.DateTimeFormat(undefined, options).format(date));
  });
});
