import { expect } from '@open-wc/testing';
import { loadLocale } from '../../../src/parts/ui/i18n.js';
import { pickLanguage } from '../../../src/parts/ui/language.js';
import { CORNER_EN, EN, PLACEHOLDER_EN } from '../../../src/parts/ui/texts.js';

/** Every visitor-facing English string: the UI's, the corner's and the placeholders'. */
const ALL_EN: Record<string, string> = { ...EN, ...CORNER_EN, ...PLACEHOLDER_EN };

const BUNDLED = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'ar', 'he'];

describe('texts and languages', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
  });

  it('every translation file has exactly the English keys of the UI, the corner and the placeholders, all translated', async () => {
    for (const lang of BUNDLED) {
      const res = await fetch(new URL(`../../../src/parts/ui/i18n/${lang}.json`, import.meta.url));
      const table = (await res.json()) as Record<string, string>;
      expect(Object.keys(table).sort(), lang).to.deep.equal(Object.keys(ALL_EN).sort());
      for (const [key, value] of Object.entries(table)) {
        expect(value, `${lang} ${key}`).to.be.a('string').and.not.equal('');
        if (!['prefs.cookies', 'cookie.name', 'prefs.services', 'prefs.date'].includes(key)) {
          expect(value, `${lang} ${key} looks untranslated`).not.to.equal(ALL_EN[key]);
        }
      }
    }
  });

  it('picks config.language, then <html lang>, then the browser, then English', () => {
    expect(pickLanguage({ language: 'fr', texts: {} })).to.equal('fr');
    document.documentElement.lang = 'de-AT';
    expect(pickLanguage({ texts: {} })).to.equal('de');
    document.documentElement.lang = 'fi';
    expect(pickLanguage({ texts: {} })).to.equal(navigator.languages.some((l) => l.startsWith('en')) ? 'en' : pickLanguage({ texts: {} }));
    expect(pickLanguage({ texts: { fi: { 'banner.title': 'Evästeet' } } })).to.equal('fi');
    document.documentElement.lang = 'xx';
    expect(pickLanguage({ language: 'zz', texts: {} })).to.equal('en');
  });

  it('loads a translation on demand, RTL for Arabic; config.texts override any key', async () => {
    const ar = await loadLocale({ language: 'ar', texts: { ar: { 'banner.title': 'ملفات تعريف الارتباط' } } });
    expect(ar).to.include({ lang: 'ar', dir: 'rtl' });
    expect(ar.texts['banner.title']).to.equal('ملفات تعريف الارتباط');
    expect(ar.texts['banner.rejectAll']).to.equal('رفض الكل');
  });

  it('falls back to English, with lang="en", when a translation cannot load', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      const de = await loadLocale({ language: 'de', texts: {} }, '/nowhere/');
      expect(de.lang).to.equal('en');
      expect(de.texts['banner.acceptAll']).to.equal('Accept all');
      expect(errors).to.have.length(1);
    } finally {
      console.error = original;
    }
  });
});
