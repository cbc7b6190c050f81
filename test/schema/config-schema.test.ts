// The JSON Schema editors use and the SDK's own validator must agree: a
// config is schema-valid exactly when validateConfig reports neither an
// error nor an unknown-field warning.
import { expect } from '@open-wc/testing';
import { resolveConfig } from '../../src/gate/core/config.js';
import { CONFIG_SHAPE } from '../../src/gate/core/config-shape.js';
import { validateConfig } from '../../src/parts/diagnostics/validate-config.js';
import { check } from './json-schema-subset.js';

const schema = (await (await fetch('/schema/consentkit-config.schema.json')).json()) as Record<string, unknown>;

const cat = (extra: object = {}) => ({ categories: [{ id: 'necessary', required: true }, { id: 'analytics', ...extra }] });
const valid: [string, unknown][] = [
  ['empty', {}],
  ['with $schema', { $schema: './node_modules/consentkit/schema/consentkit-config.schema.json' }],
  ['revision number', { revision: 3 }],
  ['revision string', { revision: '2024-05.b' }],
  ['language', { language: 'pt-BR' }],
  ['full category', cat({ label: 'Stats', description: 'Counts', saleOrShare: false, cookies: [{ name: '_ga*', provider: 'Google', purpose: 'p', duration: '13 months' }] })],
  ['services', cat({ services: [{ id: 'ga4', label: 'GA', cookies: [{ name: '_ga' }] }] })],
  ['cookie options', { cookie: { name: 'ck', domain: '.example.com', path: '/shop', sameSite: 'None', secure: true, expiryDays: 395 } }],
  ['report url', { report: '/api/consent' }],
  ['report object', { report: { url: 'https://x.test/c', headers: { 'x-key': 'a' }, credentials: 'include' } }],
  ['report false', { report: false }],
  ['booleans', { reloadOnWithdraw: false, gpc: false, audit: true }],
  ['texts', { texts: { en: { 'banner.title': 'Cookies' }, de: {} } }],
  ['ui and integrations', { ui: { layout: 'box' }, googleConsentMode: { waitForUpdate: 500 }, dataLayer: 'dl', region: 'DE', regions: {} }],
  ['googleConsentMode true', { googleConsentMode: true }],
  ['everything', { revision: 1, language: 'en', ...cat(), cookie: { expiryDays: 30 }, report: false, gpc: true, texts: {}, ui: {}, googleConsentMode: false }],
];
const invalid: [string, unknown][] = [
  ['not an object', []],
  ['null', null],
  ['a string', 'config'],
  ['unknown top-level field (a typo)', { revison: 2 }],
  ['revision with a space', { revision: 'v 2' }],
  ['revision boolean', { revision: true }],
  ['language', { language: 'english!' }],
  ['categories empty', { categories: [] }],
  ['categories not an array', { categories: {} }],
  ['category without id', { categories: [{ label: 'x' }] }],
  ['category id with a space', { categories: [{ id: 'my cat' }] }],
  ['category id too long', { categories: [{ id: 'a'.repeat(41) }] }],
  ['empty label', cat({ label: '' })],
  ['required not boolean', cat({ required: 'yes' })],
  ['cookies not an array', cat({ cookies: {} })],
  ['cookie info without name', cat({ cookies: [{ provider: 'x' }] })],
  ['cookie info empty name', cat({ cookies: [{ name: '' }] })],
  ['service without id', cat({ services: [{ label: 'x' }] })],
  ['services not an array', cat({ services: 'ga4' })],
  ['cookie not an object', { cookie: 'ck' }],
  ['cookie name', { cookie: { name: 'a b' } }],
  ['cookie path', { cookie: { path: 'shop' } }],
  ['cookie sameSite', { cookie: { sameSite: 'lax' } }],
  ['cookie secure', { cookie: { secure: 1 } }],
  ['expiry 0', { cookie: { expiryDays: 0 } }],
  ['expiry over 13 months', { cookie: { expiryDays: 400 } }],
  ['expiry fraction', { cookie: { expiryDays: 1.5 } }],
  ['report true', { report: true }],
  ['report empty string', { report: '' }],
  ['report object without url', { report: { headers: {} } }],
  ['report headers', { report: { url: '/c', headers: { a: 1 } } }],
  ['report credentials', { report: { url: '/c', credentials: 'all' } }],
  ['gpc string', { gpc: 'true' }],
  ['audit string', { audit: 'yes' }],
  ['reloadOnWithdraw number', { reloadOnWithdraw: 0 }],
  ['texts string', { texts: 'hi' }],
  ['texts table of numbers', { texts: { en: { a: 1 } } }],
  ['ui array', { ui: [] }],
  ['googleConsentMode string', { googleConsentMode: 'on' }],
];

describe('consentkit-config.schema.json', () => {
  it('is a 2020-12 schema', () => {
    expect(schema.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
  });
  for (const [name, config] of valid)
    it(`accepts: ${name}`, () => {
      expect(check(schema, config), 'schema').to.deep.equal([]);
      const { errors, warnings } = validateConfig(config);
      expect([...errors, ...warnings], 'validateConfig').to.deep.equal([]);
    });
  for (const [name, config] of invalid)
    it(`rejects: ${name}`, () => {
      expect(check(schema, config), 'schema').to.not.deep.equal([]);
      const { errors, warnings } = validateConfig(config);
      expect([...errors, ...warnings], 'validateConfig').to.not.deep.equal([]);
    });
  // The schema describes the config as written; ResolvedConfig is what the SDK
  // reads after resolving it. Each top-level name is in both, or listed here with why not.
  const RAW_ONLY: Record<string, string> = { $schema: 'tells editors where this schema is; the SDK ignores it' };
  const RESOLVED_ONLY: Record<string, string> = {
    status: "what the gate's check found (usable, Consent Mode usable, diagnostics needed)",
    source: 'the config as given, hashed into consent records',
  };
  it('keeps its top-level properties in step with the resolved config', () => {
    const properties = Object.keys(schema.properties as object);
    // Optional resolved fields are present only when set: set each.
    const resolved = Object.keys(resolveConfig({ language: 'en', region: 'DE', trustedScriptUrls: [] }));
    expect(properties.filter((k) => !(k in RAW_ONLY)).sort(), 'schema properties without a resolved field').to.deep.equal(
      resolved.filter((k) => !(k in RESOLVED_ONLY)).sort(),
    );
    for (const k of Object.keys(RAW_ONLY)) expect(properties, k).to.include(k);
    for (const k of Object.keys(RESOLVED_ONLY)) expect(resolved, k).to.include(k);
    // And the fields the check does not warn about are exactly the schema's.
    expect(Object.keys(CONFIG_SHAPE.properties ?? {}).sort()).to.deep.equal([...properties].sort());
  });

  it('documents every top-level field', () => {
    for (const [key, sub] of Object.entries(schema.properties as Record<string, { description?: string }>))
      expect(sub.description, key).to.be.a('string');
  });
});
