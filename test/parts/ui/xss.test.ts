import { expect } from '@open-wc/testing';
import { $, cleanup, makeKit, show } from './helpers.js';
import { EN } from '../../../src/parts/ui/texts.js';

declare global {
  interface Window {
    xssFired?: number;
  }
}

const EVIL = '<img src=x onerror="window.xssFired=(window.xssFired||0)+1">';
const evilTexts = Object.fromEntries(Object.keys(EN).map((k) => [k, `${EVIL} ${k}`]));
const cookie = { name: EVIL, provider: EVIL, purpose: EVIL, duration: EVIL };

describe('config strings are rendered as text', () => {
  afterEach(cleanup);

  it('<img onerror> in every config string stays text; javascript: links are refused', async () => {
    window.xssFired = 0;
    const original = console.error;
    const errors: string[] = [];
    console.error = (...a: unknown[]) => errors.push(a.join(' '));
    try {
      const kit = makeKit({
        texts: { en: evilTexts },
        categories: [
          { id: 'necessary', required: true, label: EVIL, description: EVIL, cookies: [cookie] },
          { id: 'analytics', label: EVIL, description: EVIL, services: [{ id: 'ga4', label: EVIL, description: EVIL, cookies: [cookie] }] },
        ],
        ui: { privacyPolicyUrl: 'javascript:window.xssFired=99', i18nUrl: 'javascript:alert(1)' },
      });
      const banner = await show(kit, 'banner');
      const prefs = await show(kit, 'preferences');
      await new Promise((r) => setTimeout(r, 100));
      for (const root of [banner.root, prefs.root]) {
        expect(root.querySelectorAll('img').length).to.equal(0);
        for (const a of root.querySelectorAll('a')) expect(a.getAttribute('href')).not.to.match(/^\s*javascript:/i);
        expect(root.textContent).to.contain(EVIL);
      }
      expect($(banner.root, '[part=title]').textContent).to.equal(`${EVIL} banner.title`);
      expect(banner.root.querySelector('[part=privacy-link]') == null, 'no link').to.equal(true);
      expect(window.xssFired).to.equal(0);
      // The diagnostics part names the fields once it has loaded.
      for (let i = 0; i < 100 && !errors.some((e) => e.includes('invalid config: ui.')); i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors.join('\n')).to.contain('ui.privacyPolicyUrl must be an http(s) or relative URL');
      expect(errors.join('\n')).to.contain('ui.i18nUrl must be an http(s) or relative URL');
    } finally {
      console.error = original;
      delete window.xssFired;
    }
  });
});
