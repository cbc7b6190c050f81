import { expect } from '@open-wc/testing';
import { resolveConfig } from '../../../src/gate/core/config.js';
import { validateConfig } from '../../../src/parts/diagnostics/validate-config.js';

describe('validateConfig', () => {
  it('fills the default categories, cookie and revision for an empty config', () => {
    const { config, errors, warnings } = validateConfig(undefined);
    expect(errors).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
    expect(config.categories.map((c) => c.id)).to.deep.equal(['necessary', 'functional', 'analytics', 'advertising']);
    expect(config.categories[0].required).to.equal(true);
    expect(config.categories.find((c) => c.id == 'advertising')?.saleOrShare).to.equal(true);
    expect(config.cookie).to.deep.equal({ name: 'consentkit', path: '/', sameSite: 'Lax', expiryDays: 182 });
    expect(config.revision).to.equal('1');
    expect(config.report).to.equal(false);
    expect(config.reloadOnWithdraw).to.equal(true);
    expect(config.gpc).to.equal(true);
  });

  it('keeps a valid full config', () => {
    const { config, errors } = validateConfig({
      revision: 3,
      language: 'de-AT',
      categories: [
        { id: 'necessary', required: true, label: 'Needed' },
        {
          id: 'analytics',
          description: 'Counting visits',
          services: [{ id: 'ga4', label: 'GA4', cookies: [{ name: '_ga*', provider: 'Google', duration: '13 months' }] }],
        },
        { id: 'video', cookies: [{ name: 'yt', purpose: 'player' }] },
      ],
      cookie: { name: 'ck', domain: 'example.com', path: '/', sameSite: 'Strict', secure: true, expiryDays: 395 },
      report: { url: '/api/consent', headers: { 'x-site': 'a' }, credentials: 'omit', timeout: 500 },
      reloadOnWithdraw: false,
      gpc: false,
      texts: { de: { 'banner.title': 'Hallo' } },
    });
    expect(errors).to.deep.equal([]);
    expect(config.revision).to.equal('3');
    expect(config.language).to.equal('de-AT');
    expect(config.categories[1].services?.[0].cookies?.[0]).to.deep.equal({ name: '_ga*', provider: 'Google', duration: '13 months' });
    expect(config.cookie.expiryDays).to.equal(395);
    expect(config.cookie.domain).to.equal('example.com');
    expect(config.report).to.deep.equal({ url: '/api/consent', headers: { 'x-site': 'a' }, credentials: 'omit', timeout: 500 });
    expect(config.reloadOnWithdraw).to.equal(false);
    expect(config.texts.de['banner.title']).to.equal('Hallo');
  });

  it('accepts a report URL given as a string and report: false', () => {
    expect(validateConfig({ report: '/r' }).config.report).to.deep.equal({ url: '/r' });
    expect(validateConfig({ report: false }).config.report).to.equal(false);
  });

  it('warns about unknown top-level fields without failing', () => {
    const { errors, warnings } = validateConfig({ categores: [] });
    expect(errors).to.deep.equal([]);
    expect(warnings).to.deep.equal(['categores is not a known option']);
  });

  // Every validation error path, each named by the offending field.
  const cases: [string, unknown, string][] = [
    ['config not an object', 'nope', 'config must be an object'],
    ['config null', null, 'config must be an object'],
    ['config an array', [], 'config must be an object'],
    ['revision with spaces', { revision: 'v 2' }, 'revision must be'],
    ['revision NaN', { revision: NaN }, 'revision must be'],
    ['revision object', { revision: {} }, 'revision must be'],
    ['language bad', { language: 'english!' }, 'language must match'],
    ['categories empty', { categories: [] }, 'categories must be a non-empty array'],
    ['categories not array', { categories: {} }, 'categories must be a non-empty array'],
    ['category not object', { categories: ['x'] }, 'categories[0] must be an object'],
    ['category id missing', { categories: [{ id: 'a' }, { id: 'b' }, { label: 'x' }] }, 'categories[2].id must be a non-empty string'],
    ['category id bad chars', { categories: [{ id: 'a b' }] }, 'categories[0].id must use only'],
    ['category id twice', { categories: [{ id: 'a' }, { id: 'a' }] }, 'categories[1].id "a" is used twice'],
    ['category label not string', { categories: [{ id: 'a', label: 3 }] }, 'categories[0].label must be a non-empty string'],
    ['category description empty', { categories: [{ id: 'a', description: '' }] }, 'categories[0].description must be a non-empty string'],
    ['required not boolean', { categories: [{ id: 'a', required: 'yes' }] }, 'categories[0].required must be true or false'],
    ['saleOrShare not boolean', { categories: [{ id: 'a', saleOrShare: 1 }] }, 'categories[0].saleOrShare must be true or false'],
    ['services not array', { categories: [{ id: 'a', services: {} }] }, 'categories[0].services must be an array'],
    ['service not object', { categories: [{ id: 'a', services: [1] }] }, 'categories[0].services[0] must be an object'],
    ['service id missing', { categories: [{ id: 'a', services: [{}] }] }, 'categories[0].services[0].id must be a non-empty string'],
    ['service id twice', { categories: [{ id: 'a', services: [{ id: 's' }] }, { id: 'b', services: [{ id: 's' }] }] }, 'categories[1].services[0].id "s" is used twice'],
    ['service id equals category id', { categories: [{ id: 'a', services: [{ id: 'b' }] }, { id: 'b' }] }, 'categories[0].services[0].id "b" is also a category id'],
    ['service urls not an array', { categories: [{ id: 'a', services: [{ id: 's', urls: 'example.com' }] }] }, 'categories[0].services[0].urls must be an array'],
    ['service url with a scheme', { categories: [{ id: 'a' }, { id: 'b', services: [{ id: 's', urls: ['example.com', 'cdn.example.com/js/*', 'https://example.com/x'] }] }] }, 'categories[1].services[0].urls[2] must be a URL pattern'],
    ['service url not a string', { categories: [{ id: 'a', services: [{ id: 's', urls: [3] }] }] }, 'categories[0].services[0].urls[0] must be a URL pattern'],
    ['service url with a space', { categories: [{ id: 'a', services: [{ id: 's', urls: ['example.com/a b'] }] }] }, 'categories[0].services[0].urls[0] must be a URL pattern'],
    ['service url a bare word', { categories: [{ id: 'a', services: [{ id: 's', urls: ['localhost'] }] }] }, 'categories[0].services[0].urls[0] must be a URL pattern'],
    ['service catalog empty', { categories: [{ id: 'a', services: [{ id: 's', catalog: '' }] }] }, 'categories[0].services[0].catalog must be a non-empty string'],
    ['cookies not array', { categories: [{ id: 'a', cookies: 'x' }] }, 'categories[0].cookies must be an array'],
    ['cookie entry not object', { categories: [{ id: 'a', cookies: [1] }] }, 'categories[0].cookies[0] must be an object'],
    ['cookie entry without name', { categories: [{ id: 'a', cookies: [{}] }] }, 'categories[0].cookies[0].name must be a non-empty string'],
    ['cookie entry bad provider', { categories: [{ id: 'a', services: [{ id: 's', cookies: [{ name: 'x', provider: 2 }] }] }] }, 'categories[0].services[0].cookies[0].provider must be a non-empty string'],
    ['cookie options not object', { cookie: 'x' }, 'cookie must be an object'],
    ['cookie name bad', { cookie: { name: 'a;b' } }, 'cookie.name must match'],
    ['cookie domain bad', { cookie: { domain: 'a b' } }, 'cookie.domain must match'],
    ['cookie path bad', { cookie: { path: 'no-slash' } }, 'cookie.path must match'],
    ['cookie sameSite bad', { cookie: { sameSite: 'lax' } }, 'cookie.sameSite must be'],
    ['cookie secure bad', { cookie: { secure: 'true' } }, 'cookie.secure must be true or false'],
    ['expiry above 395', { cookie: { expiryDays: 396 } }, 'cookie.expiryDays must be a whole number of days from 1 to 395'],
    ['expiry zero', { cookie: { expiryDays: 0 } }, 'cookie.expiryDays must be'],
    ['expiry fraction', { cookie: { expiryDays: 1.5 } }, 'cookie.expiryDays must be'],
    ['expiry string', { cookie: { expiryDays: '30' } }, 'cookie.expiryDays must be'],
    ['report number', { report: 5 }, 'report must be a URL string, an object or false'],
    ['report empty string', { report: '' }, 'report must be a non-empty string'],
    ['report url missing', { report: {} }, 'report.url must be a non-empty string'],
    ['report headers bad', { report: { url: '/r', headers: { a: 1 } } }, 'report.headers.a must be a string'],
    ['report credentials bad', { report: { url: '/r', credentials: 'all' } }, 'report.credentials must be'],
    ['report timeout zero', { report: { url: '/r', timeout: 0 } }, 'report.timeout must be'],
    ['report timeout string', { report: { url: '/r', timeout: '5s' } }, 'report.timeout must be'],
    ['reloadOnWithdraw bad', { reloadOnWithdraw: 'no' }, 'reloadOnWithdraw must be true or false'],
    ['gpc bad', { gpc: 0 }, 'gpc must be true or false'],
    ['audit bad', { audit: 'yes' }, 'audit must be true or false'],
    ['ui not object', { ui: [] }, 'ui must be an object'],
    ['texts not object', { texts: 'x' }, 'texts must be an object'],
    ['texts language not strings', { texts: { de: { a: 1 } } }, 'texts.de.a must be a string'],
    ['googleConsentMode bad', { googleConsentMode: 'on' }, 'googleConsentMode must be true, false or an object'],
  ];
  for (const [name, input, message] of cases)
    it(`reports ${name}`, () => {
      const { errors } = validateConfig(input);
      expect(errors.some((e) => e.startsWith(message)), `${JSON.stringify(errors)} should include "${message}"`).to.equal(true);
      // The gate's own check (no messages) reaches the same verdict, and wants the diagnostics part.
      expect(resolveConfig(input).status).to.include({ usable: false, needsDiagnostics: true });
    });
});

describe('resolveConfig', () => {
  it('resolves once: a resolved config resolves to itself, frozen all the way down', () => {
    const input = { categories: [{ id: 'necessary', required: true }, { id: 'a', services: [{ id: 's' }] }], texts: { de: { x: 'y' } } };
    const config = resolveConfig(input);
    expect(resolveConfig(config)).to.equal(config);
    expect(config.status).to.deep.equal({ usable: true, consentModeUsable: true, needsDiagnostics: false });
    for (const o of [config, config.categories, config.categories[1], config.categories[1].services, config.cookie, config.ui, config.texts.de])
      expect(Object.isFrozen(o), JSON.stringify(o)).to.equal(true);
    // The site's own object is neither frozen nor shared.
    expect(config.source).to.equal(input);
    expect(Object.isFrozen(input) || Object.isFrozen(input.texts.de)).to.equal(false);
  });

  it('reads services\' URL patterns and catalog entry, frozen', () => {
    const urls = ['www.googletagmanager.com/gtag/js', '*.google-analytics.com', 'googleads.g.doubleclick.net/pagead/*/conversion'];
    const config = resolveConfig({ categories: [{ id: 'necessary', required: true }, { id: 'analytics', services: [{ id: 'ga4', catalog: 'google-analytics', urls }] }] });
    expect(config.status.usable).to.equal(true);
    expect(config.categories[1].services?.[0]).to.deep.equal({ id: 'ga4', catalog: 'google-analytics', urls });
    expect(config.categories[1].services?.[0].urls).not.to.equal(urls);
    expect(Object.isFrozen(config.categories[1].services?.[0].urls)).to.equal(true);
  });

  it('fills the integration fields: ui, regions, dataLayer, Consent Mode, trusted URLs', () => {
    const config = resolveConfig({
      ui: { layout: 'box' },
      region: 'us-ca',
      regions: { us: 'opt-out' },
      dataLayer: 'dl',
      googleConsentMode: { waitForUpdate: 100 },
      trustedScriptUrls: ['/js/*'],
    });
    expect(config.ui).to.deep.equal({ layout: 'box', theme: 'auto', floatingButton: true, withdrawButton: true, closeAction: 'reject' });
    expect(config.region).to.equal('US-CA');
    expect(config.regions).to.deep.equal({ US: 'opt-out' });
    expect(config.dataLayer).to.equal('dl');
    expect(config.googleConsentMode && config.googleConsentMode.waitForUpdate).to.equal(100);
    expect(config.trustedScriptUrls).to.deep.equal(['/js/*']);
    expect(config.status.needsDiagnostics).to.equal(false);
  });

  it('falls back strictly on integration problems without making the config unusable', () => {
    const config = resolveConfig({
      ui: { layout: 'popup' },
      regions: { US: 'opt-out', EU: 'strict' },
      dataLayer: '1 dl',
      googleConsentMode: { waitForUpdate: -1 },
      trustedScriptUrls: ['javascript:x'],
    });
    expect(config.ui.layout).to.equal('bar');
    expect(config.regions).to.deep.equal({});
    expect(config.dataLayer).to.equal('dataLayer');
    expect(config.trustedScriptUrls).to.deep.equal([]);
    expect(config.status).to.deep.equal({ usable: true, consentModeUsable: false, needsDiagnostics: true });
  });

  it('wants the diagnostics part for an unknown field alone (a warning)', () => {
    expect(resolveConfig({ categores: [] }).status).to.deep.equal({ usable: true, consentModeUsable: true, needsDiagnostics: true });
  });
});
