// The catalog's lookups and expansion, and the URL pattern syntax they share with the gate.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expandService, findServiceByCookie, findServiceByStorageKey, findServiceByUrl, type Catalog } from '../../src/catalog/catalog.js';
import { matchesUrlPattern } from '../../src/gate/blocker/url-pattern.js';
import { ROOT } from '../e2e/helpers.js';

const catalog = JSON.parse(readFileSync(join(ROOT, 'catalog', 'services.json'), 'utf8')) as Catalog;

describe('matchesUrlPattern', () => {
  const cases: [pattern: string, url: string, matches: boolean][] = [
    ['www.googletagmanager.com/gtag/js', 'https://www.googletagmanager.com/gtag/js?id=G-1', true],
    ['www.googletagmanager.com/gtag/js', 'http://www.googletagmanager.com:8080/gtag/js', true],
    ['www.googletagmanager.com/gtag/js', 'https://www.googletagmanager.com/gtm.js?id=GTM-1', false],
    ['google-analytics.com', 'https://region1.google-analytics.com/g/collect', true],
    ['*.google-analytics.com', 'https://google-analytics.com/g/collect', true],
    ['google-analytics.com', 'https://notgoogle-analytics.com/g/collect', false],
    ['google-analytics.com', 'https://google-analytics.com.evil.test/', false],
    ['www.youtube.com/embed/', 'https://www.youtube.com/embed/abc?rel=0', true],
    ['www.youtube.com/embed/', 'https://www.youtube.com/watch?v=abc', false],
    ['connect.facebook.net/*/fbevents.js', 'https://connect.facebook.net/en_US/fbevents.js', true],
    ['connect.facebook.net/*/fbevents.js', 'https://connect.facebook.net/en_US/sdk.js', false],
    ['WWW.Example.COM/a', 'https://www.example.com/a', true],
  ];
  for (const [pattern, url, matches] of cases)
    it(`${pattern} ${matches ? 'names' : 'does not name'} ${url}`, () => {
      assert.equal(matchesUrlPattern(pattern, new URL(url)), matches);
    });
});

describe('catalog lookups', () => {
  it('finds a service by a URL it loads, by kind or any kind', () => {
    assert.equal(findServiceByUrl(catalog, 'https://www.youtube.com/embed/xyz')?.id, 'youtube');
    assert.equal(findServiceByUrl(catalog, 'https://www.youtube.com/embed/xyz', 'iframes')?.id, 'youtube');
    assert.equal(findServiceByUrl(catalog, 'https://www.youtube.com/embed/xyz', 'scripts'), undefined);
    assert.equal(findServiceByUrl(catalog, 'not a url'), undefined);
  });
  it('finds a service by a cookie or a storage key it sets', () => {
    assert.equal(findServiceByCookie(catalog, '_ga_ABC123')?.id, 'google-analytics');
    assert.equal(findServiceByCookie(catalog, 'session'), undefined);
    assert.equal(findServiceByStorageKey(catalog, 'yt-remote-device-id')?.id, 'youtube');
  });
  it('expands an entry into a config service that blocks every URL it lists', () => {
    const entry = catalog.services.find((s) => s.id == 'stripe');
    assert.ok(entry);
    const service = expandService(entry);
    assert.equal(service.catalog, 'stripe');
    assert.equal(service.label, 'Stripe');
    assert.deepEqual(service.urls, ['js.stripe.com/', 'hooks.stripe.com/', 'm.stripe.com/', 'm.stripe.network/', 'api.stripe.com/']);
    assert.equal(service.cookies?.[0].provider, entry.provider);
  });
});
