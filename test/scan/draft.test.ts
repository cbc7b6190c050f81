// The config draft (--config-draft) from a scan's findings: the site's categories kept, catalog
// services expanded into the category the catalog gives, cookies added to the tables they belong
// to, and what nothing names set apart. Also cookie lifetimes in words.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expandService, type Catalog } from '../../src/catalog/catalog.js';
import { describeDuration, draftConfig } from '../../src/scan/draft.js';
import type { Sighting } from '../../src/scan/scan-page.js';
import type { ScanReport } from '../../src/scan/scan.js';
import { ROOT } from '../e2e/helpers.js';

const catalog = JSON.parse(readFileSync(join(ROOT, 'catalog', 'services.json'), 'utf8')) as Catalog;
const NOW = 1_800_000_000;

describe('describeDuration', () => {
  const cases: [expires: number | undefined, words: string | undefined][] = [
    [undefined, undefined],
    [-1, 'session'],
    [NOW + 60, '1 hour'],
    [NOW + 30 * 60 * 60, '1 day'],
    [NOW + 86_400 - 5, '1 day'],
    [NOW + 30 * 86_400, '30 days'],
    [NOW + 395 * 86_400, '13 months'],
    [NOW + 2 * 365 * 86_400, '2 years'],
  ];
  for (const [expires, words] of cases)
    it(`${expires == null ? 'no expiry' : expires < 0 ? 'a session cookie' : `${expires - NOW} s`} → ${words ?? 'nothing'}`, () => {
      assert.equal(describeDuration(expires, NOW), words);
    });
});

describe('draftConfig', () => {
  const page = 'https://shop.example/';
  const sighting = (fields: Partial<Sighting> & Pick<Sighting, 'kind' | 'name' | 'basis'>): Sighting => ({
    domain: 'shop.example',
    phase: 'after-accept',
    status: 'seen',
    listed: false,
    ...fields,
  });
  const report: ScanReport = {
    ok: false,
    violations: [],
    allowed: [],
    errors: [],
    pages: [
      {
        url: page,
        source: { revision: 3, ui: { layout: 'box' }, categories: [{ id: 'necessary', required: true }, { id: 'analytics', services: [{ id: 'stats' }] }] },
        config: {
          cookieName: 'consentkit',
          categories: [
            { id: 'necessary', required: true },
            { id: 'analytics', services: [{ id: 'stats' }] },
          ],
        },
        sightings: [
          sighting({ kind: 'cookie', name: 'consentkit', basis: 'consentkit', category: 'necessary' }),
          sighting({ kind: 'cookie', name: '_ga', basis: 'catalog', category: 'analytics', service: 'google-analytics', catalog: 'google-analytics', expires: -1 }),
          sighting({ kind: 'cookie', name: '_ga_X1', basis: 'catalog', category: 'analytics', service: 'google-analytics', catalog: 'google-analytics' }),
          sighting({ kind: 'cookie', name: 'YSC', domain: 'youtube.com', basis: 'catalog', category: 'functional', service: 'youtube', catalog: 'youtube' }),
          sighting({ kind: 'cookie', name: 'stats_id', basis: 'config', category: 'analytics', service: 'stats', expires: -1 }),
          sighting({ kind: 'cookie', name: 'cart', basis: 'unknown', phase: 'before-consent', status: 'violation', expires: -1 }),
          sighting({ kind: 'cookie', name: 'cart', basis: 'unknown', expires: -1 }),
          sighting({ kind: 'request', name: 'https://fonts.example.org/css', domain: 'fonts.example.org', basis: 'unknown' }),
        ],
      },
    ],
  };
  const { config, unplaced } = draftConfig(report, catalog);

  it("keeps the site's own settings and categories", () => {
    assert.equal(config.revision, 3);
    assert.deepEqual(config.ui, { layout: 'box' });
    assert.deepEqual(
      config.categories?.map((c) => c.id),
      ['necessary', 'analytics', 'functional'],
    );
  });

  it('expands each catalog service found into the category the catalog gives, once', () => {
    const analytics = config.categories?.find((c) => c.id == 'analytics');
    assert.deepEqual(analytics?.services?.map((s) => s.id), ['stats', 'google-analytics']);
    const entry = catalog.services.find((s) => s.id == 'google-analytics');
    assert.ok(entry);
    assert.deepEqual(analytics.services[1], expandService(entry));
    assert.deepEqual(config.categories?.find((c) => c.id == 'functional')?.services?.map((s) => s.id), ['youtube']);
  });

  it('adds a cookie found to the table of its service, with the lifetime seen', () => {
    const stats = config.categories?.find((c) => c.id == 'analytics')?.services?.[0];
    assert.deepEqual(stats?.cookies, [{ name: 'stats_id', duration: 'session' }]);
  });

  it('sets apart what nothing names, once each, requests by host', () => {
    assert.deepEqual(unplaced, [
      { kind: 'cookie', name: 'cart', domain: 'shop.example', duration: 'session', pages: [page], phases: ['before-consent', 'after-accept'] },
      { kind: 'request', name: 'fonts.example.org', domain: 'fonts.example.org', pages: [page], phases: ['after-accept'] },
    ]);
    assert.doesNotMatch(JSON.stringify(config), /cart|fonts\.example\.org/);
  });
});
