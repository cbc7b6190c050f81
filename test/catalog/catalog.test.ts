// The catalog's lookups and expansion (the URL pattern syntax they share with the gate is
// tested with the gate, in test/gate/blocker/url-pattern.test.ts).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expandService, findServiceByCookie, findServiceByStorageKey, findServiceByUrl, type Catalog } from '../../src/catalog/catalog.js';
import { ROOT } from '../e2e/helpers.js';

const catalog = JSON.parse(readFileSync(join(ROOT, 'catalog', 'services.json'), 'utf8')) as Catalog;

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
