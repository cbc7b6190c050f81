import { expect } from '@open-wc/testing';
import Cookies from 'js-cookie';
import { createConsentKit, type ConsentKit } from '../../../src/gate/core/consent-kit.js';
import type { DecisionDetail } from '../../../src/gate/core/events.js';
import { pendingRecord, recordOf, stable, type PendingRecord } from '../../../src/gate/reporting/record.js';
import { sha256 } from '../../../src/parts/sender/sha256.js';

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

describe('pendingRecord / recordOf', () => {
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
  /** The record the sender part makes of the decision, through the outbox's JSON. */
  const record = (kit: ConsentKit, detail: DecisionDetail) =>
    recordOf(JSON.parse(JSON.stringify(pendingRecord(kit, detail))) as PendingRecord, sha256);
  afterEach(() => {
    for (const kit of kits.splice(0)) Cookies.remove(kit.config.cookie.name, { path: '/' });
  });

  it('keeps the decision under its ids, with what the page knew', async () => {
    const { kit, detail } = await decide({ revision: 7 });
    const pending = pendingRecord(kit, detail);
    const { id, ...decided } = detail.choice;
    expect(pending).to.deep.include({ ...decided, consentId: id, sdkVersion: kit.version, url: location.origin + location.pathname });
    expect(pending.recordId).to.match(/^[0-9a-f-]{36}$/).and.not.equal(id);
    expect(pendingRecord(kit, detail).recordId, 'a new record id per call').to.not.equal(pending.recordId);
  });

  it('holds the decision, refusals included, and no other identifier, in the schema order', async () => {
    const { kit, detail } = await decide({ revision: 7 });
    const made = record(kit, detail);
    expect(Object.keys(made)).to.deep.equal(
      ['schemaVersion', 'consentId', 'recordId', 'createdAt', 'updatedAt', 'revision', 'action', 'source', 'categories', 'services', 'language', 'url', 'gpc', 'sdkVersion', 'configHash'],
    );
    expect(made).to.include({ schemaVersion: 1, consentId: detail.choice.id, action: 'reject_all', source: 'banner', revision: '7', gpc: false, sdkVersion: kit.version });
    expect(made.categories).to.deep.equal({ necessary: true, analytics: false });
    expect(made.services).to.deep.equal({ ga4: false });
    expect(made.createdAt).to.equal(new Date(detail.choice.createdAt).toISOString());
    expect(made.updatedAt).to.equal(new Date(detail.choice.updatedAt).toISOString());
    expect(made.recordId).to.match(/^[0-9a-f-]{36}$/).and.not.equal(made.consentId);
  });

  it('keeps the page URL without its query (the test page has one) or fragment', async () => {
    expect(location.search).to.not.equal('');
    const { kit, detail } = await decide();
    expect(record(kit, detail).url).to.equal(location.origin + location.pathname);
  });

  it('takes the language from what the UI showed, then the config, then <html lang>, else und', async () => {
    const html = document.documentElement;
    const lang = html.lang;
    try {
      const { kit, detail } = await decide({ language: 'de' });
      expect(record(kit, detail).language).to.equal('de');
      kit.shown = { language: 'fr-CA', texts: {} };
      expect(record(kit, detail).language).to.equal('fr-CA');
      const plain = await decide();
      html.lang = 'pt-BR';
      expect(record(plain.kit, plain.detail).language).to.equal('pt-BR');
      html.lang = 'en_US';
      expect(record(plain.kit, plain.detail).language).to.equal('und');
    } finally {
      html.lang = lang;
    }
  });

  it('includes the region only when known, the GPC value, and a GPC confirmation last', async () => {
    const { kit, detail } = await decide({}, { region: 'US-CA', gpc: true });
    const made = record(kit, { ...detail, choice: { ...detail.choice, gpcConfirmed: true } });
    expect(made.region).to.equal('US-CA');
    expect(made.gpc).to.equal(true);
    expect(Object.keys(made).slice(-3)).to.deep.equal(['configHash', 'region', 'gpcConfirmed']);
    const plain = await decide();
    expect(record(plain.kit, plain.detail)).to.not.have.any.keys('region', 'gpcConfirmed');
  });

  it('hashes the config as written plus the texts shown: any change to either changes it', async () => {
    const { kit, detail } = await decide({ revision: 1 });
    const hash = record(kit, detail).configHash;
    expect(hash).to.equal(sha256(stable({ config: kit.config.source, shown: null })));
    kit.shown = { language: 'en', texts: { 'banner.title': 'Cookies' } };
    const shown = record(kit, detail).configHash;
    expect(shown).to.not.equal(hash);
    kit.shown = { language: 'en', texts: { 'banner.title': 'Cookies!' } };
    expect(record(kit, detail).configHash).to.not.equal(shown);
  });

  it('hashes a config given as an object as JSON holds it: a key set to undefined is left out', async () => {
    const { kit, detail } = await decide({ language: undefined, revision: 3 });
    const asJson = JSON.parse(JSON.stringify(kit.config.source)) as unknown;
    expect(asJson).to.not.have.property('language');
    expect(record(kit, detail).configHash).to.equal(sha256(stable({ config: asJson, shown: null })));
  });

  it('makes no record of an entry that is not a pending decision (a record of an older version)', () => {
    const old = { schemaVersion: 1, recordId: 'r', createdAt: '2026-01-01T00:00:00.000Z', configHash: 'ab' };
    expect(() => recordOf(old as unknown as PendingRecord, sha256)).to.throw(TypeError);
  });
});
