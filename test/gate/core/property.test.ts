import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { decodeChoice, encodeChoice, type ConsentChoice } from '../../../src/gate/core/choice.js';
import { resolveConfig, type ResolvedConfig } from '../../../src/gate/core/config.js';
import { reportConfig } from '../../../src/parts/diagnostics/diagnostics.js';
import { validateConfig } from '../../../src/parts/diagnostics/validate-config.js';

const T = 1767225600000;
const valid: ConsentChoice = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  createdAt: T,
  updatedAt: T + 5000,
  revision: '4',
  action: 'custom',
  source: 'banner',
  gpc: false,
  categories: { necessary: true, analytics: false },
  services: { ga4: false },
};
const good = encodeChoice(valid);

/** A decoded value must be fully typed, and canonical: it encodes back to the input. */
function checkChoice(raw: string, c: ConsentChoice | null) {
  if (c === null) return;
  expect(typeof c.id).to.equal('string');
  expect(Number.isSafeInteger(c.createdAt) && Number.isSafeInteger(c.updatedAt)).to.equal(true);
  expect(c.createdAt <= c.updatedAt).to.equal(true);
  expect(['accept_all', 'reject_all', 'custom', 'withdraw', 'close', 'gpc_optout']).to.include(c.action);
  expect(['banner', 'preferences', 'placeholder', 'page', 'api']).to.include(c.source);
  expect(typeof c.gpc).to.equal('boolean');
  for (const t of [c.categories, c.services]) for (const v of Object.values(t)) expect(typeof v).to.equal('boolean');
  expect(encodeChoice(c)).to.equal(raw);
}

/** A config without errors must have every field of the right type. */
function checkConfig(r: { config: ResolvedConfig; errors: string[] }) {
  for (const e of r.errors) expect(e).to.match(/^(config|revision|language|categories|cookie|report|reloadOnWithdraw|gpc|ui|texts|googleConsentMode)\b/);
  if (r.errors.length) return;
  const c = r.config;
  expect(typeof c.revision).to.equal('string');
  expect(c.categories.length > 0).to.equal(true);
  for (const cat of c.categories) {
    expect(cat.id).to.match(/^[A-Za-z0-9_-]+$/);
    for (const s of cat.services ?? []) expect(s.id).to.match(/^[A-Za-z0-9_-]+$/);
  }
  expect(c.cookie.expiryDays >= 1 && c.cookie.expiryDays <= 395).to.equal(true);
  expect(typeof c.cookie.name).to.equal('string');
  expect(c.report === false || typeof c.report.url == 'string').to.equal(true);
}

/** Replaces, deletes or inserts characters of `s` at random places. */
const mutated = (s: string) =>
  fc
    .array(fc.tuple(fc.nat(s.length), fc.constantFrom('replace', 'delete', 'insert'), fc.string({ maxLength: 3 })), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) =>
      edits.reduce((acc, [i, op, text]) => {
        const at = i % (acc.length + 1);
        if (op == 'delete') return acc.slice(0, at) + acc.slice(at + 1);
        if (op == 'insert') return acc.slice(0, at) + text + acc.slice(at);
        return acc.slice(0, at) + text + acc.slice(at + text.length);
      }, s),
    );

const baseConfig = {
  revision: 2,
  categories: [
    { id: 'necessary', required: true },
    { id: 'analytics', label: 'A', services: [{ id: 'ga4', cookies: [{ name: '_ga*', duration: '1y' }], urls: ['www.googletagmanager.com/gtag/js', '*.google-analytics.com'], catalog: 'google-analytics' }] },
  ],
  cookie: { name: 'ck', expiryDays: 100, sameSite: 'Lax' },
  report: { url: '/r' },
};

/** The valid config with one value somewhere replaced by arbitrary JSON. */
const mutatedConfig = fc.tuple(fc.jsonValue(), fc.nat(), fc.nat()).map(([value, a, b]) => {
  const copy = JSON.parse(JSON.stringify(baseConfig)) as Record<string, unknown>;
  const paths: (() => void)[] = [
    () => (copy.revision = value),
    () => (copy.categories = value),
    () => ((copy.categories as Record<string, unknown>[])[a % 2].id = value),
    () => ((copy.categories as Record<string, unknown>[])[a % 2].services = value),
    () => ((copy.categories as { services: Record<string, unknown>[] }[])[1].services[0].cookies = value),
    () => ((copy.categories as { services: Record<string, unknown>[] }[])[1].services[0].urls = value),
    () => (((copy.categories as { services: { urls: unknown[] }[] }[])[1].services[0].urls)[a % 3] = value),
    () => (copy.cookie = value),
    () => ((copy.cookie as Record<string, unknown>).expiryDays = value),
    () => (copy.report = value),
    () => (copy.texts = value),
    () => (copy[`extra${String(a)}`] = value),
  ];
  paths[b % paths.length]();
  return copy;
});

/** Every field, for the agreement of the gate's check with the diagnostics part. */
const fullConfig = {
  ...baseConfig,
  language: 'de',
  reloadOnWithdraw: true,
  gpc: false,
  audit: false,
  texts: { de: { a: 'b' } },
  ui: { layout: 'box', floatingButton: false, privacyPolicyUrl: '/p' },
  googleConsentMode: { waitForUpdate: 100, urlPassthrough: true, mapping: { analytics: ['analytics_storage'] }, services: { ga4: ['ad_storage'] }, regions: [{ region: ['US'], ad_storage: 'granted' }] },
  region: 'DE',
  regions: { US: 'opt-out', default: 'opt-in' },
  dataLayer: 'dl',
  trustedScriptUrls: ['/js/*'],
};
const fullPaths = [
  'revision', 'language', 'categories', 'categories.0.id', 'categories.1.services', 'categories.1.services.0.id',
  'categories.1.services.0.cookies', 'categories.1.services.0.urls', 'categories.1.services.0.urls.1', 'categories.1.services.0.catalog', 'cookie', 'cookie.sameSite', 'cookie.domain', 'report', 'report.headers', 'report.timeout',
  'reloadOnWithdraw', 'gpc', 'audit', 'texts', 'texts.de', 'ui', 'ui.layout', 'ui.floatingButton', 'ui.privacyPolicyUrl', 'ui.extra',
  'googleConsentMode', 'googleConsentMode.waitForUpdate', 'googleConsentMode.urlPassthrough', 'googleConsentMode.mapping',
  'googleConsentMode.mapping.analytics', 'googleConsentMode.services.ga4', 'googleConsentMode.regions', 'googleConsentMode.regions.0',
  'googleConsentMode.regions.0.region', 'region', 'regions', 'regions.US', 'regions.Europe', 'dataLayer', 'trustedScriptUrls',
  'trustedScriptUrls.0', 'typo',
];
/** `fullConfig` with the value at one of `fullPaths` replaced by arbitrary JSON (or a likely one). */
const mutatedFullConfig = fc
  .tuple(fc.oneof(fc.jsonValue(), fc.constantFrom('', 'opt-out', 'example.com', 'example.com/a*b', 'https://example.com', '*.', ['a.example'], ['a.example', 'x'], 'granted', 'US', 'analytics', 'ga4', '/x', true, 0, 1.5, -1, 396, 60001, [], {}, ['US'], ['nope'])), fc.nat())
  .map(([value, i]) => {
    const copy = JSON.parse(JSON.stringify(fullConfig)) as Record<string, unknown>;
    const path = fullPaths[i % fullPaths.length];
    const at = path.lastIndexOf('.');
    const parent = at < 0 ? copy : path.slice(0, at).split('.').reduce((o, k) => o[k] as Record<string, unknown>, copy);
    parent[path.slice(at + 1)] = value;
    return copy;
  });

/**
 * The gate's check (`resolveConfig`) must reach the verdict the full
 * validators reach: unusable exactly when validateConfig has an error, Consent
 * Mode refused exactly when it has a message, and the diagnostics part wanted
 * exactly when it has something to say.
 */
function checkAgreement(input: unknown) {
  const config = resolveConfig(input);
  const { errors } = validateConfig(input);
  const said: string[] = [];
  const { error, warn } = console;
  console.error = console.warn = (...a: unknown[]) => said.push(a.join(' '));
  try {
    reportConfig(config);
  } finally {
    Object.assign(console, { error, warn });
  }
  const why = `${JSON.stringify(input)}: ${JSON.stringify(said)}`;
  expect(config.status.usable, why).to.equal(errors.length == 0);
  expect(config.status.consentModeUsable, why).to.equal(!said.some((m) => m.includes('invalid config: googleConsentMode.')));
  expect(config.status.needsDiagnostics, why).to.equal(said.length > 0);
}

describe('decoder and validator under random input (fast-check)', () => {
  it('decodeChoice never throws on 4,000 arbitrary strings and values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary" }), fc.anything()), (raw) => {
        const c = decodeChoice(raw);
        if (typeof raw == 'string') checkChoice(raw, c);
        else expect(c).to.equal(null);
      }),
      { numRuns: 4000 },
    );
  });

  it('decodeChoice never throws on 3,000 mutations of a valid cookie', () => {
    fc.assert(
      fc.property(mutated(good), (raw) => {
        checkChoice(raw, decodeChoice(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it('validateConfig never throws on 1,500 arbitrary values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), fc.object()), (input) => {
        checkConfig(validateConfig(input));
      }),
      { numRuns: 1500 },
    );
  });

  it('validateConfig never throws on 1,500 configs with one value mutated', () => {
    fc.assert(
      fc.property(mutatedConfig, (input) => {
        checkConfig(validateConfig(input));
      }),
      { numRuns: 1500 },
    );
  });

  it('the gate\'s check agrees with the diagnostics part on 1,500 arbitrary values', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), fc.object()), checkAgreement), { numRuns: 1500 });
  });

  it('the gate\'s check agrees with the diagnostics part on 3,000 full configs with one value mutated', () => {
    expect(resolveConfig(fullConfig).status.needsDiagnostics).to.equal(false);
    checkAgreement(fullConfig);
    fc.assert(fc.property(mutatedFullConfig, checkAgreement), { numRuns: 3000 });
  });
});
