import { expect } from '@open-wc/testing';
import Cookies from 'js-cookie';
import { createConsentKit, type ConsentKit } from '../../../src/gate/core/consent-kit.js';
import type { DecisionDetail } from '../../../src/gate/core/events.js';
import { buildRecord, sha256, stable } from '../../../src/gate/reporting/record.js';

describe('stable', () => {
  const cases: [string, unknown, string][] = [
    ['sorts object keys', { b: 1, a: { d: [2, 1], c: null } }, '{"a":{"c":null,"d":[2,1]},"b":1}'],
    ['keeps array order', [3, 'x', true], '[3,"x",true]'],
    ['undefined becomes null', { a: undefined }, '{"a":null}'],
    ['escapes strings like JSON', { 'k"': 'v\n' }, '{"k\\"":"v\\n"}'],
    ['null', null, 'null'],
  ];
  for (const [name, value, expected] of cases)
    it(name, () => {
      expect(stable(value)).to.equal(expected);
    });
  it('gives the same text whatever the key order', () => {
    expect(stable({ x: 1, y: { p: 1, q: 2 } })).to.equal(stable({ y: { q: 2, p: 1 }, x: 1 }));
  });
});

describe('sha256', () => {
  it('is the SHA-256 of the UTF-8 text in lowercase hex', async () => {
    expect(await sha256('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256('')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('buildRecord', () => {
  let n = 0;
  const kits: ConsentKit[] = [];
  const decide = (config: Record<string, unknown> = {}, env = {}): Promise<{ kit: ConsentKit; detail: DecisionDetail }> => {
    const kit = createConsentKit(
      { cookie: { name: `ck-rec-${Date.now()}-${++n}` }, categories: [{ id: 'necessary', required: true }, { id: 'analytics', services: [{ id: 'ga4' }] }], ...config },
      env,
    );
    kits.push(kit);
    return new Promise((resolve) => {
      const off = kit.onDecision((detail) => {
        off();
        resolve({ kit, detail });
      });
      kit.rejectAll('banner');
    });
  };
  afterEach(() => {
    for (const kit of kits.splice(0)) Cookies.remove(kit.config.cookie.name, { path: '/' });
  });

  it('holds the decision, refusals included, and no other identifier', async () => {
    const { kit, detail } = await decide({ revision: 7 });
    const record = await buildRecord(kit, detail);
    expect(Object.keys(record).sort()).to.deep.equal(
      ['action', 'categories', 'configHash', 'consentId', 'createdAt', 'gpc', 'language', 'recordId', 'revision', 'schemaVersion', 'sdkVersion', 'services', 'source', 'updatedAt', 'url'],
    );
    expect(record).to.include({ schemaVersion: 1, consentId: detail.choice.id, action: 'reject_all', source: 'banner', revision: '7', gpc: false, sdkVersion: kit.version });
    expect(record.categories).to.deep.equal({ necessary: true, analytics: false });
    expect(record.services).to.deep.equal({ ga4: false });
    expect(record.updatedAt).to.equal(new Date(detail.choice.updatedAt).toISOString());
    expect(record.recordId).to.match(/^[0-9a-f-]{36}$/).and.not.equal(record.consentId);
  });

  it('keeps the page URL without its query (the test page has one) or fragment', async () => {
    expect(location.search).to.not.equal('');
    const { kit, detail } = await decide();
    expect((await buildRecord(kit, detail)).url).to.equal(location.origin + location.pathname);
  });

  it('takes the language from what the UI showed, then the config, then <html lang>, else und', async () => {
    const html = document.documentElement;
    const lang = html.lang;
    try {
      const { kit, detail } = await decide({ language: 'de' });
      expect((await buildRecord(kit, detail)).language).to.equal('de');
      kit.shown = { language: 'fr-CA', texts: {} };
      expect((await buildRecord(kit, detail)).language).to.equal('fr-CA');
      const plain = await decide();
      html.lang = 'pt-BR';
      expect((await buildRecord(plain.kit, plain.detail)).language).to.equal('pt-BR');
      html.lang = 'en_US';
      expect((await buildRecord(plain.kit, plain.detail)).language).to.equal('und');
    } finally {
      html.lang = lang;
    }
  });

  it('includes the region only when known, and the GPC value', async () => {
    const { kit, detail } = await decide({}, { region: 'US-CA', gpc: true });
    const record = await buildRecord(kit, detail);
    expect(record.region).to.equal('US-CA');
    expect(record.gpc).to.equal(true);
  });

  it('hashes the config as written plus the texts shown: any change to either changes it', async () => {
    const { kit, detail } = await decide({ revision: 1 });
    const hash = (await buildRecord(kit, detail)).configHash;
    expect(hash).to.equal(await sha256(stable({ config: kit.config.source, shown: null })));
    kit.shown = { language: 'en', texts: { 'banner.title': 'Cookies' } };
    const shown = (await buildRecord(kit, detail)).configHash;
    expect(shown).to.not.equal(hash);
    kit.shown = { language: 'en', texts: { 'banner.title': 'Cookies!' } };
    expect((await buildRecord(kit, detail)).configHash).to.not.equal(shown);
  });
});
