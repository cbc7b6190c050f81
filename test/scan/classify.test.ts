// Where the scanner places what it finds (the site's config first, then the catalog), whether a
// consent state permits it, the owner's --allow patterns, and what counts as another site.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadScannerDependencies } from '../../src/scan/browser.js';
import {
  isAllowed,
  isOtherSite,
  isPermitted,
  place,
  siteOf,
  withSourceServiceFields,
  type GrantState,
  type Item,
  type RegistrableDomain,
  type SiteConfig,
} from '../../src/scan/classify.js';
import { ROOT } from '../e2e/helpers.js';

const catalog = JSON.parse(readFileSync(join(ROOT, 'catalog', 'services.json'), 'utf8')) as Catalog;

const config: SiteConfig = {
  cookieName: 'consentkit',
  reportUrl: 'https://shop.example/api/consent',
  categories: [
    { id: 'necessary', required: true, cookies: [{ name: 'session_id' }] },
    { id: 'functional', services: [{ id: 'video', catalog: 'youtube' }] },
    { id: 'analytics', services: [{ id: 'stats', cookies: [{ name: 'stats_*' }], urls: ['stats.example.net/collect'] }, { id: 'ga4', cookies: [{ name: '_ga' }] }] },
    { id: 'advertising' },
  ],
};

const cookie = (name: string): Item => ({ kind: 'cookie', name, domain: 'shop.example' });
const request = (url: string): Item => ({ kind: 'request', name: url.split('?')[0], domain: new URL(url).hostname, url });
const local = (name: string): Item => ({ kind: 'localStorage', name, domain: 'shop.example' });

describe('place', () => {
  const cases: [what: string, item: Item, expected: ReturnType<typeof place>][] = [
    ['the consent cookie', cookie('consentkit'), { category: 'necessary', basis: 'consentkit', listed: true }],
    ['a cookie a category lists', cookie('session_id'), { category: 'necessary', catalog: undefined, basis: 'config', listed: true }],
    ['a listed cookie the catalog knows', { ...cookie('_ga'), name: '_ga' }, { category: 'analytics', service: 'ga4', catalog: 'google-analytics', basis: 'config', listed: true }],
    ['a cookie a service lists by pattern', cookie('stats_visitor'), { category: 'analytics', service: 'stats', catalog: undefined, basis: 'config', listed: true }],
    ['a catalog cookie of a service the config expanded', cookie('YSC'), { category: 'functional', service: 'video', catalog: 'youtube', basis: 'config', listed: false }],
    ['a catalog cookie the config does not have', cookie('_ga_ABC123'), { category: 'analytics', service: 'google-analytics', catalog: 'google-analytics', basis: 'catalog', listed: false }],
    ['a necessary catalog cookie', cookie('__stripe_mid'), { category: 'necessary', service: 'stripe', catalog: 'stripe', basis: 'catalog', listed: false }],
    ['an unknown cookie', cookie('visitor'), { basis: 'unknown', listed: false }],
    ["consentkit's outbox", local('consentkit:outbox:consentkit'), { category: 'necessary', basis: 'consentkit', listed: false }],
    ['a catalog storage key', local('yt-remote-device-id'), { category: 'functional', service: 'video', catalog: 'youtube', basis: 'config', listed: false }],
    ['an unknown storage key', local('chat-session'), { basis: 'unknown', listed: false }],
    ['a request a config service names', request('https://stats.example.net/collect?v=1'), { category: 'analytics', service: 'stats', catalog: undefined, basis: 'config', listed: false }],
    ['a catalog request', request('https://www.googletagmanager.com/gtag/js?id=G-1'), { category: 'analytics', service: 'google-analytics', catalog: 'google-analytics', basis: 'catalog', listed: false }],
    ['the record endpoint', request('https://shop.example/api/consent?x=1'), { category: 'necessary', basis: 'consentkit', listed: false }],
    ["consentkit's files on a CDN", request('https://cdn.jsdelivr.net/npm/consentkit/dist/consentkit-ui.js'), { category: 'necessary', basis: 'consentkit', listed: false }],
    ['an unknown request', request('https://fonts.example.org/css'), { basis: 'unknown', listed: false }],
  ];
  for (const [what, item, expected] of cases)
    it(what, () => {
      assert.deepEqual(place(item, config, catalog), expected);
    });
});

describe('isPermitted', () => {
  const refused: GrantState = { categories: { necessary: true, functional: false, analytics: false, advertising: false }, services: { video: false, stats: false, ga4: false } };
  const analyticsOnly: GrantState = { categories: { ...refused.categories, analytics: true }, services: { video: false, stats: true } };
  const permitted = (item: Item, state: GrantState) => isPermitted(place(item, config, catalog), config, state);
  const cases: [what: string, item: Item, state: GrantState, expected: boolean][] = [
    ['the consent cookie, refused', cookie('consentkit'), refused, true],
    ['a required category, refused', cookie('session_id'), refused, true],
    ['a necessary catalog service, refused', cookie('__stripe_sid'), refused, true],
    ['a service, refused', cookie('stats_x'), refused, false],
    ['a service, granted', cookie('stats_x'), analyticsOnly, true],
    ['a catalog service not in the config, its category refused', cookie('_ga_X'), refused, false],
    ['a catalog service not in the config, its category granted', cookie('_ga_X'), analyticsOnly, true],
    ['an unknown cookie, even with everything granted', cookie('visitor'), { categories: { analytics: true, functional: true, advertising: true }, services: {} }, false],
  ];
  for (const [what, item, state, expected] of cases)
    it(`${what}: ${expected ? 'permitted' : 'a violation'}`, () => {
      assert.equal(permitted(item, state), expected);
    });
});

describe('isAllowed', () => {
  it('takes cookie and storage names, with a trailing * for any suffix', () => {
    assert.equal(isAllowed(cookie('_ga_XYZ'), ['_ga*']), true);
    assert.equal(isAllowed(cookie('_gat'), ['_ga']), false);
    assert.equal(isAllowed(local('chat-session'), ['chat-*']), true);
  });
  it('takes URL patterns for requests, never a cookie name', () => {
    assert.equal(isAllowed(request('https://fonts.example.org/css?family=x'), ['fonts.example.org/css']), true);
    assert.equal(isAllowed(request('https://fonts.example.org/js'), ['fonts.example.org/css']), false);
    assert.equal(isAllowed(cookie('fonts.example.org'), ['fonts.example.org/css']), false);
  });
});

describe('isOtherSite and siteOf, by the Public Suffix List', () => {
  let registrableDomain: RegistrableDomain;
  before(async () => {
    ({ registrableDomain } = await loadScannerDependencies());
  });

  const sites: [host: string, site: string][] = [
    ['www.shop.example', 'shop.example'],
    ['a.b.shop.co.uk', 'shop.co.uk'],
    ['shop.com.au', 'shop.com.au'],
    ['me.github.io', 'me.github.io'],
    ['www.me.github.io', 'me.github.io'],
    ['co.uk', 'co.uk'],
    ['github.io', 'github.io'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
    ['localhost', 'localhost'],
    ['intranet', 'intranet'],
    ['www.xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['shop.example.', 'shop.example'],
  ];
  for (const [host, site] of sites)
    it(`the site of ${host} is ${site}`, () => {
      assert.equal(siteOf(host, registrableDomain), site);
    });

  const cases: [url: string, page: string, other: boolean][] = [
    ['https://www.googletagmanager.com/gtag/js', 'https://shop.example/', true],
    ['https://cdn.shop.example/app.js', 'https://www.shop.example/', false],
    // Two-label public suffixes: each registrable domain under them is a site of its own.
    ['https://tracker.co.uk/pixel.js', 'https://a.co.uk/', true],
    ['https://static.a.co.uk/app.js', 'https://www.a.co.uk/', false],
    ['https://y.com.au/p.js', 'https://x.com.au/', true],
    ['https://ads.co.jp/p.js', 'https://shop.co.jp/', true],
    ['https://co.uk/x', 'https://a.co.uk/', true],
    // Private-domain suffixes too: one user's github.io pages are not another's.
    ['https://tracker.github.io/p.js', 'https://me.github.io/', true],
    ['https://me.github.io/lib.js', 'https://www.me.github.io/', false],
    // IP addresses and single labels as they are, ports aside.
    ['http://127.0.0.1:9000/x', 'http://127.0.0.1:8080/', false],
    ['http://127.0.0.2/x', 'http://127.0.0.1:8080/', true],
    ['http://[::1]:9000/x', 'http://[::1]:8080/', false],
    ['http://[::2]/x', 'http://[::1]/', true],
    ['http://localhost:3000/x', 'http://localhost/', false],
    ['http://tracker.example/x', 'http://localhost/', true],
    ['http://www.googletagmanager.com:8080/gtag/js', 'http://127.0.0.1:8080/', true],
    // Punycode: the URL parser writes both forms the same; IDN suffixes count as suffixes.
    ['https://bücher.co.uk/x', 'https://www.xn--bcher-kva.co.uk/', false],
    ['https://b.xn--p1ai/x', 'https://a.xn--p1ai/', true],
    ['https://b.рф/x', 'https://a.рф/', true],
    ['data:text/plain,hi', 'https://shop.example/', false],
    ['not a url', 'https://shop.example/', false],
  ];
  for (const [url, page, other] of cases)
    it(`${url} from ${page}: ${other ? 'another site' : 'the same site'}`, () => {
      assert.equal(isOtherSite(url, page, registrableDomain), other);
    });
});

describe('withSourceServiceFields', () => {
  it("takes each service's urls and catalog from the config as written when the resolved one lacks them", () => {
    const resolved = [{ id: 'necessary', required: true }, { id: 'analytics', services: [{ id: 'ga', label: 'GA' }, { id: 'other' }] }];
    const source = { categories: [{ id: 'analytics', services: [{ id: 'ga', catalog: 'google-analytics', urls: ['www.googletagmanager.com/gtag/js'] }, { id: 'other', urls: 'not a list' }] }] };
    assert.deepEqual(withSourceServiceFields(resolved, source), [
      { id: 'necessary', required: true },
      { id: 'analytics', services: [{ id: 'ga', label: 'GA', catalog: 'google-analytics', urls: ['www.googletagmanager.com/gtag/js'] }, { id: 'other' }] },
    ]);
    assert.deepEqual(withSourceServiceFields(resolved, null), resolved);
  });
});
