import { expect } from '@open-wc/testing';
import { resolveConfig } from '../../../src/gate/core/config.js';
import { reportConfig } from '../../../src/parts/diagnostics/diagnostics.js';
import { detectEnvironment, normRegion, regionConfig, regionMode } from '../../../src/gate/integrations/environment.js';

describe('regionMode', () => {
  const regions = { 'US-CA': 'opt-out', US: 'opt-in', 'US-TX': 'opt-out', default: 'opt-in' } as const;
  const cases: [string | undefined, Partial<Record<string, 'opt-in' | 'opt-out'>>, string][] = [
    ['US-CA', regions, 'opt-out'], // the subdivision wins over its country
    ['US-NY', regions, 'opt-in'], // falls back to the country
    ['US-NY', { US: 'opt-out' }, 'opt-out'],
    ['DE', { US: 'opt-out' }, 'opt-in'], // no match, no default: strict
    ['DE', { default: 'opt-out' }, 'opt-out'],
    [undefined, { default: 'opt-out' }, 'opt-out'],
    [undefined, { US: 'opt-out' }, 'opt-in'], // unknown region: strict
    [undefined, {}, 'opt-in'],
  ];
  for (const [region, table, want] of cases)
    it(`${String(region)} with ${JSON.stringify(table)} → ${want}`, () => {
      expect(regionMode(region, table)).to.equal(want);
    });
});

describe('normRegion', () => {
  const cases: [unknown, string | undefined][] = [
    ['us-ca', 'US-CA'],
    [' DE ', 'DE'],
    ['GB-ENG', 'GB-ENG'],
    ['USA', undefined],
    ['US-CALI', undefined],
    ['', undefined],
    [42, undefined],
    [undefined, undefined],
  ];
  for (const [input, want] of cases)
    it(`${JSON.stringify(input)} → ${String(want)}`, () => {
      expect(normRegion(input)).to.equal(want);
    });
});

describe('regionConfig', () => {
  it('accepts region and regions, normalising codes', () => {
    expect(regionConfig({ region: 'us-ca', regions: { us: 'opt-out', default: 'opt-in' } })).to.deep.equal({
      region: 'US-CA',
      regions: { US: 'opt-out', default: 'opt-in' },
      errors: [],
    });
  });
  it('names each bad path and drops every region rule (opt-in everywhere)', () => {
    const { regions, errors } = regionConfig({ region: 'California', regions: { US: 'opt-out', EU: 'strict', Europe: 'opt-in' } });
    expect(regions).to.deep.equal({});
    expect(errors).to.have.length(3);
    expect(errors[0]).to.match(/^region /);
    expect(errors[1]).to.match(/^regions\.EU /);
    expect(errors[2]).to.match(/^regions\.Europe /);
  });
  it('rejects a non-object regions', () => {
    expect(regionConfig({ regions: ['US'] }).errors).to.deep.equal(['regions must be an object']);
  });
});

describe('detectEnvironment', () => {
  let meta: HTMLMetaElement | null = null;
  const addMeta = (content: string) => {
    meta = document.createElement('meta');
    meta.name = 'consentkit-region';
    meta.content = content;
    document.head.append(meta);
  };
  afterEach(() => {
    meta?.remove();
    meta = null;
  });

  it('reads the region from the server meta tag', () => {
    addMeta('us-ca');
    expect(detectEnvironment(resolveConfig({ regions: { US: 'opt-out' } }))).to.include({ region: 'US-CA', mode: 'opt-out' });
  });
  it('prefers config.region over the meta tag', () => {
    addMeta('US-CA');
    expect(detectEnvironment(resolveConfig({ region: 'DE', regions: { US: 'opt-out' } }))).to.include({ region: 'DE', mode: 'opt-in' });
  });
  it('treats a garbage meta tag as an unknown region', () => {
    addMeta('<script>');
    expect(detectEnvironment(resolveConfig({ regions: { US: 'opt-out' } }))).to.include({ region: undefined, mode: 'opt-in' });
  });
  it('lets options override detection', () => {
    addMeta('US-CA');
    expect(detectEnvironment(resolveConfig({ regions: { US: 'opt-out' } }), { mode: 'opt-in', gpc: true, region: 'FR' })).to.include({
      region: 'FR',
      mode: 'opt-in',
      gpc: true,
    });
  });
  it('reads navigator.globalPrivacyControl (absent in this browser → false)', () => {
    const gpc = (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true;
    expect(detectEnvironment(resolveConfig({})).gpc).to.equal(gpc);
  });
  it('falls back to opt-in when the region config is invalid (the diagnostics part names the field)', () => {
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(' '));
    try {
      const config = resolveConfig({ region: 'US-CA', regions: { US: 'yes' } });
      expect(detectEnvironment(config).mode).to.equal('opt-in');
      expect(config.status.needsDiagnostics).to.equal(true);
      reportConfig(config);
    } finally {
      console.error = orig;
    }
    expect(errors).to.have.length(1);
    expect(String(errors[0])).to.contain('[consentkit] invalid config: regions.US');
  });
});
