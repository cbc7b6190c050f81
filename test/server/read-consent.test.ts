// readConsent on the server: a table of Cookie headers, well-formed and not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeChoice, type ConsentChoice } from '../../src/gate/core/choice.js';
import { cookieFromHeader, readConsent } from '../../src/server/read-consent.js';

const NOW = Date.UTC(2026, 10, 1);
const DAY = 864e5;
const CONFIG = {
  revision: 3,
  categories: [
    { id: 'necessary', required: true },
    { id: 'analytics', services: [{ id: 'ga4' }] },
    { id: 'advertising', saleOrShare: true },
  ],
};
const choice = (over: Partial<ConsentChoice> = {}): ConsentChoice => ({
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  createdAt: NOW - DAY,
  updatedAt: NOW - DAY,
  revision: '3',
  action: 'custom',
  source: 'banner',
  gpc: false,
  categories: { necessary: true, analytics: true, advertising: false },
  services: { ga4: true },
  ...over,
});
const value = (over?: Partial<ConsentChoice>) => encodeChoice(choice(over));
const NONE = { necessary: true, analytics: false, advertising: false };

describe('readConsent', () => {
  const granted: [string, string | undefined, Record<string, boolean> | null][] = [
    ['a valid choice', `consentkit=${value()}`, { necessary: true, analytics: true, advertising: false }],
    ['among other cookies', `a=1; consentkit=${value()}; _ga=GA1.2.3`, { necessary: true, analytics: true, advertising: false }],
    ['percent-encoded the way js-cookie writes', `consentkit=${encodeURIComponent(value())}`, { necessary: true, analytics: true, advertising: false }],
    ['quoted', `consentkit="${value()}"`, { necessary: true, analytics: true, advertising: false }],
    ['the first of two wins', `consentkit=${value({ action: 'accept_all', categories: { necessary: true, analytics: true, advertising: true } })}; consentkit=${value()}`, { necessary: true, analytics: true, advertising: true }],
    ['no header', undefined, null],
    ['empty header', '', null],
    ['no consent cookie', 'a=1; b=2', null],
    ['empty value', 'consentkit=', null],
    ['garbage', 'consentkit=hello', null],
    ['malformed percent sequence', 'consentkit=1|garbage|%E0%A4%A|{"x":1}', null],
    ['malformed UTF-8 inside a valid value', `consentkit=${value().replace('|c|', '|%E0%A4|')}`, null],
    ['truncated', `consentkit=${value().slice(0, 40)}`, null],
    ['tampered category', `consentkit=${value().replace('analytics:1', 'analytics:2')}`, null],
    ['other revision', `consentkit=${value({ revision: '2' })}`, null],
    ['expired', `consentkit=${value({ createdAt: NOW - 200 * DAY, updatedAt: NOW - 200 * DAY })}`, null],
    ['from the future', `consentkit=${value({ createdAt: NOW + 3 * DAY, updatedAt: NOW + 3 * DAY })}`, null],
    ['a category never asked about', `consentkit=${value({ categories: { necessary: true, analytics: true } })}`, null],
    ['a cookie of a similar name', `xconsentkit=${value()}; consentkit2=${value()}`, null],
    ['header without "="', 'consentkit', null],
  ];
  for (const [name, header, categories] of granted)
    test(name, () => {
      const state = readConsent(header, CONFIG, NOW);
      assert.equal(state.decided, categories != null);
      assert.deepEqual(state.categories, categories ?? NONE);
      if (!categories) {
        assert.equal(state.choice, null);
        assert.deepEqual(state.services, { ga4: false });
      }
    });

  test('returns the decoded choice and service states', () => {
    const state = readConsent(`consentkit=${value({ services: { ga4: false } })}`, CONFIG, NOW);
    assert.deepEqual(state.choice, choice({ services: { ga4: false } }));
    assert.deepEqual(state.services, { ga4: false });
  });

  test('honours cookie.name from the config', () => {
    const cfg = { ...CONFIG, cookie: { name: 'ck' } };
    assert.equal(readConsent(`consentkit=${value()}`, cfg, NOW).decided, false);
    assert.equal(readConsent(`ck=${value()}`, cfg, NOW).decided, true);
  });

  test('a config with errors gives no choice (fail closed)', () => {
    const state = readConsent(`consentkit=${value()}`, { ...CONFIG, cookie: { expiryDays: 999 } }, NOW);
    assert.equal(state.decided, false);
    assert.deepEqual(state.categories, NONE);
    assert.equal(readConsent(`consentkit=${value()}`, 'nonsense', NOW).decided, false);
  });

  test('without a config the defaults apply (revision 1, four categories)', () => {
    const v = value({ revision: '1', categories: { necessary: true, functional: false, analytics: true, advertising: false }, services: {} });
    const state = readConsent(`consentkit=${v}`, undefined, NOW);
    assert.equal(state.decided, true);
    assert.equal(state.categories.analytics, true);
  });

  test('Global Privacy Control refuses sale/share categories granted without it', () => {
    const all = value({ categories: { necessary: true, analytics: true, advertising: true } });
    assert.equal(readConsent(`consentkit=${all}`, CONFIG, NOW, { gpc: true }).categories.advertising, false);
    assert.equal(readConsent(`consentkit=${all}`, { ...CONFIG, gpc: false }, NOW, { gpc: true }).categories.advertising, true);
  });

  test('opt-out mode grants undecided visitors everything but sale/share under GPC', () => {
    assert.deepEqual(readConsent(undefined, CONFIG, NOW, { mode: 'opt-out' }).categories, { necessary: true, analytics: true, advertising: true });
    assert.deepEqual(readConsent(undefined, CONFIG, NOW, { mode: 'opt-out', gpc: true }).categories, { necessary: true, analytics: true, advertising: false });
  });
});

describe('cookieFromHeader', () => {
  test('decodes names and values like js-cookie, keeping "=" inside values', () => {
    assert.equal(cookieFromHeader('a%20b=x%3Dy=z', 'a b'), 'x=y=z');
    assert.equal(cookieFromHeader('a=%E0%A4%A', 'a'), '%E0%A4%A');
    assert.equal(cookieFromHeader('=x; a=1', 'a'), '1');
    assert.equal(cookieFromHeader(undefined, 'a'), undefined);
  });
});
