import { expect } from '@open-wc/testing';
import { stateOf } from '../../../src/gate/core/choice.js';
import { validateConfig } from '../../../src/parts/diagnostics/validate-config.js';
import { consentModeOptions, consentSignals, defaultCommands } from '../../../src/gate/integrations/consent-mode.js';

const config = (gcm: unknown = true) =>
  validateConfig({
    categories: [
      { id: 'necessary', required: true },
      { id: 'functional' },
      { id: 'analytics', services: [{ id: 'ga4' }, { id: 'hotjar' }] },
      { id: 'advertising', services: [{ id: 'gads' }] },
    ],
    googleConsentMode: gcm,
  }).config;
const options = (gcm: unknown = true) => consentModeOptions(config(gcm));

describe('consentModeOptions', () => {
  it('has strict defaults', () => {
    const { options: o, errors } = options();
    expect(errors).to.deep.equal([]);
    expect(o).to.deep.include({ waitForUpdate: 500, adsDataRedaction: true, urlPassthrough: false, regions: [], services: {} });
    expect(o.mapping).to.deep.equal({
      analytics: ['analytics_storage'],
      advertising: ['ad_storage', 'ad_user_data', 'ad_personalization'],
      functional: ['functionality_storage', 'personalization_storage'],
    });
  });
  it('takes every option', () => {
    const { options: o, errors } = options({
      waitForUpdate: 2000,
      adsDataRedaction: false,
      urlPassthrough: true,
      regions: [{ region: ['US-CA', 'US'], analytics_storage: 'granted' }],
      mapping: { functional: ['functionality_storage'] },
      services: { gads: ['ad_user_data'] },
    });
    expect(errors).to.deep.equal([]);
    expect(o.waitForUpdate).to.equal(2000);
    expect(o.adsDataRedaction).to.equal(false);
    expect(o.urlPassthrough).to.equal(true);
    expect(o.regions).to.deep.equal([{ region: ['US-CA', 'US'], analytics_storage: 'granted' }]);
    expect(o.mapping.functional).to.deep.equal(['functionality_storage']);
    expect(o.mapping.analytics).to.deep.equal(['analytics_storage']);
    expect(o.services).to.deep.equal({ gads: ['ad_user_data'] });
  });
  const bad: [string, unknown, string][] = [
    ['waitForUpdate', { waitForUpdate: -1 }, 'googleConsentMode.waitForUpdate '],
    ['waitForUpdate', { waitForUpdate: '500' }, 'googleConsentMode.waitForUpdate '],
    ['adsDataRedaction', { adsDataRedaction: 'yes' }, 'googleConsentMode.adsDataRedaction '],
    ['urlPassthrough', { urlPassthrough: 1 }, 'googleConsentMode.urlPassthrough '],
    ['mapping id', { mapping: { analytic: ['analytics_storage'] } }, 'googleConsentMode.mapping.analytic '],
    ['mapping signal', { mapping: { analytics: ['analytics'] } }, 'googleConsentMode.mapping.analytics '],
    ['mapping type', { mapping: [] }, 'googleConsentMode.mapping '],
    ['service id', { services: { analytics: ['analytics_storage'] } }, 'googleConsentMode.services.analytics '],
    ['regions type', { regions: {} }, 'googleConsentMode.regions '],
    ['region codes', { regions: [{ region: 'US' }] }, 'googleConsentMode.regions[0] '],
    ['region empty', { regions: [{ region: [] }] }, 'googleConsentMode.regions[0] '],
    ['region signal', { regions: [{ region: ['DE'], ads: 'granted' }] }, 'googleConsentMode.regions[0] '],
    ['region value', { regions: [{ region: ['DE'], ad_storage: true }] }, 'googleConsentMode.regions[0] '],
    ['region entry', { regions: [null] }, 'googleConsentMode.regions[0] '],
  ];
  for (const [what, gcm, path] of bad)
    it(`reports a bad ${what} by path`, () => {
      const { errors } = options(gcm);
      expect(errors).to.have.length(1);
      expect(errors[0].startsWith(path), errors[0]).to.equal(true);
    });
});

describe('defaultCommands', () => {
  it('denies every signal but security_storage, region defaults first, set commands last', () => {
    const o = options({ waitForUpdate: 800, urlPassthrough: true, regions: [{ region: ['US-CA'], ad_storage: 'granted' }] }).options;
    const denied = {
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'denied',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'granted',
      wait_for_update: 800,
    };
    expect(defaultCommands(o)).to.deep.equal([
      ['consent', 'default', { ...denied, ad_storage: 'granted', region: ['US-CA'] }],
      ['consent', 'default', denied],
      ['set', 'ads_data_redaction', true],
      ['set', 'url_passthrough', true],
    ]);
  });
});

describe('consentSignals', () => {
  type Case = [string, Record<string, boolean>, Record<string, boolean>, Record<string, string>, unknown?];
  const cases: Case[] = [
    [
      'nothing granted',
      {},
      {},
      {
        analytics_storage: 'denied',
        ad_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
        functionality_storage: 'denied',
        personalization_storage: 'denied',
      },
    ],
    [
      'analytics only',
      { analytics: true },
      {},
      {
        analytics_storage: 'granted',
        ad_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
        functionality_storage: 'denied',
        personalization_storage: 'denied',
      },
    ],
    [
      'advertising and functional',
      { advertising: true, functional: true },
      {},
      {
        analytics_storage: 'denied',
        ad_storage: 'granted',
        ad_user_data: 'granted',
        ad_personalization: 'granted',
        functionality_storage: 'granted',
        personalization_storage: 'granted',
      },
    ],
    [
      'a refused mapped service keeps its signal denied',
      { advertising: true },
      { gads: false },
      { ad_user_data: 'denied', ad_storage: 'granted', ad_personalization: 'granted' },
      { services: { gads: ['ad_user_data'] }, mapping: { analytics: [], functional: [] } },
    ],
    [
      'a granted service alone grants its signal',
      { analytics: true },
      {},
      { analytics_storage: 'granted' },
      { services: { ga4: ['analytics_storage'] }, mapping: { advertising: [], functional: [] } },
    ],
    [
      'unmapped signals are left out of the update',
      { analytics: true },
      {},
      { analytics_storage: 'granted' },
      { mapping: { advertising: [], functional: [] } },
    ],
  ];
  for (const [name, categories, services, want, gcm] of cases)
    it(name, () => {
      const c = config(gcm ?? true);
      const state = stateOf(c, null, { categories, services });
      expect(consentSignals(state, consentModeOptions(c).options)).to.deep.equal(want);
    });
});
