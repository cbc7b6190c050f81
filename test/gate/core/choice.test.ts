import { expect } from '@open-wc/testing';
import {
  allows,
  decodeChoice,
  diffStates,
  encodeChoice,
  makeChoice,
  staleReason,
  stateOf,
  defaultState,
  storedState,
  type ConsentChoice,
} from '../../../src/gate/core/choice.js';
import { validateConfig } from '../../../src/parts/diagnostics/validate-config.js';

const { config } = validateConfig({
  revision: 2,
  categories: [
    { id: 'necessary', required: true },
    { id: 'analytics', services: [{ id: 'ga4' }, { id: 'plausible' }] },
    { id: 'advertising' },
  ],
});
const DAY = 864e5;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

const choice = (over: Partial<ConsentChoice> = {}): ConsentChoice => ({
  id: ID,
  createdAt: T0,
  updatedAt: T0,
  revision: '2',
  action: 'custom',
  source: 'preferences',
  gpc: false,
  categories: { necessary: true, analytics: true, advertising: false },
  services: { ga4: true, plausible: false },
  ...over,
});

describe('encodeChoice / decodeChoice', () => {
  it('round-trips a choice', () => {
    const c = choice();
    expect(decodeChoice(encodeChoice(c))).to.deep.equal(c);
  });

  it('round-trips every action and source', () => {
    for (const action of ['accept_all', 'reject_all', 'custom', 'withdraw', 'close', 'gpc_optout'] as const)
      for (const source of ['banner', 'preferences', 'placeholder', 'api'] as const) {
        const c = choice({ action, source, gpc: true });
        expect(decodeChoice(encodeChoice(c))).to.deep.equal(c);
      }
  });

  it('writes only characters that need no escaping in a cookie', () => {
    expect(encodeChoice(choice())).to.match(/^[A-Za-z0-9|:/._-]+$/);
  });

  const good = encodeChoice(choice());
  const fields = good.split('|');
  const withField = (i: number, v: string) => fields.map((f, j) => (j == i ? v : f)).join('|');
  // Every way a stored value can be broken counts as "no choice".
  const broken: [string, unknown][] = [
    ['undefined', undefined],
    ['a number', 42],
    ['empty', ''],
    ['not our format (JSON)', '{"analytics":true}'],
    ['another tool’s value', 'true'],
    ['truncated inside an entry', good.slice(0, good.length - 3)],
    ['truncated inside the category table', good.slice(0, good.indexOf('advertising') + 3)],
    ['truncated to half', good.slice(0, good.length / 2)],
    ['extra field', `${good}|x`],
    ['unknown version', withField(0, '2')],
    ['bad uuid', withField(1, 'not-a-uuid')],
    ['upper-case uuid', withField(1, ID.toUpperCase())],
    ['bad created time', withField(2, '-1')],
    ['time with a leading zero', withField(2, `0${fields[2]}`)],
    ['time too large', withField(3, 'zzzzzzzz')],
    ['bad updated time', withField(3, 'zzzzzzzzzz')],
    ['created after updated', withField(2, (Math.floor(T0 / 1000) + 10).toString(36))],
    ['revision with spaces', withField(4, 'a b')],
    ['unknown action', withField(5, 'q')],
    ['unknown source', withField(6, 'q')],
    ['an Object.prototype name as the action', withField(5, 'constructor')],
    ['an Object.prototype name as the source', withField(6, 'toString')],
    ['gpc not 0/1', withField(7, '2')],
    ['category value not 0/1', withField(8, 'necessary:1/analytics:yes')],
    ['category listed twice', withField(8, 'analytics:1/analytics:0')],
    ['category id with bad chars', withField(8, 'ana<lytics:1')],
    ['service table broken', withField(9, 'ga4')],
    ['huge value', `${good}${'a'.repeat(5000)}`],
    ['wrong types in an object', { id: ID }],
  ];
  for (const [name, value] of broken)
    it(`gives null for ${name}`, () => {
      expect(decodeChoice(value)).to.equal(null);
    });
});

describe('staleReason', () => {
  const cases: [string, ConsentChoice, number, string | null][] = [
    ['fresh choice', choice(), T0 + DAY, null],
    ['a day before expiry', choice(), T0 + 181 * DAY, null],
    ['expired after expiryDays', choice(), T0 + 182 * DAY, 'expired'],
    ['revision bump', choice({ revision: '1' }), T0, 'revision'],
    ['written in the future', choice({ updatedAt: T0 + 3 * DAY, createdAt: T0 + 3 * DAY }), T0, 'future'],
    ['a new optional category', choice({ categories: { necessary: true, analytics: true } }), T0, 'categories'],
    ['a new service', choice({ services: { ga4: true } }), T0, 'services'],
    // A value truncated at an entry boundary decodes, but lacks entries: caught here.
    ['truncated at an entry boundary', decodeChoice(encodeChoice(choice()).replace(/\/plausible:0$/, '')) ?? choice(), T0, 'services'],
    ['missing required category is fine', choice({ categories: { analytics: true, advertising: false } }), T0, null],
    ['categories no longer configured are ignored', choice({ categories: { necessary: true, analytics: true, advertising: false, old: true } }), T0, null],
  ];
  for (const [name, c, now, reason] of cases)
    it(`${name} → ${String(reason)}`, () => {
      expect(staleReason(c, config, now)).to.equal(reason);
    });
});

describe('stateOf / makeChoice', () => {
  it('grants only required categories when undecided', () => {
    const s = stateOf(config, null, {});
    expect(s).to.deep.equal({
      decided: false,
      choice: null,
      categories: { necessary: true, analytics: false, advertising: false },
      services: { ga4: false, plausible: false },
    });
  });

  it('never grants a service whose category is refused', () => {
    const s = stateOf(config, null, { categories: { analytics: false }, services: { ga4: true } });
    expect(s.services.ga4).to.equal(false);
  });

  it('grants the services of a granted category unless refused one by one', () => {
    const s = stateOf(config, null, { categories: { analytics: true }, services: { plausible: false } });
    expect(s.services).to.deep.equal({ ga4: true, plausible: false });
  });

  it('forces required categories on even when asked otherwise', () => {
    expect(stateOf(config, null, { categories: { necessary: false } }).categories.necessary).to.equal(true);
  });

  it('keeps the consent id and first date across updates', () => {
    const first = makeChoice(config, {}, 'reject_all', 'banner', null, T0 + 123, () => ID);
    expect(first.createdAt).to.equal(T0);
    expect(first.categories).to.deep.equal({ necessary: true, analytics: false, advertising: false });
    const second = makeChoice(config, { categories: { analytics: true } }, 'custom', 'preferences', first, T0 + DAY, () => 'other');
    expect(second.id).to.equal(ID);
    expect(second.createdAt).to.equal(T0);
    expect(second.updatedAt).to.equal(T0 + DAY);
    expect(second.revision).to.equal('2');
  });
});

describe('allows', () => {
  const decided = stateOf(config, choice());
  const undecided = stateOf(config, null, {});
  const cases: [string, boolean, boolean][] = [
    // expression, on the decided state, on the undecided state
    ['necessary', true, true],
    ['analytics', true, false],
    ['advertising', false, false],
    ['ga4', true, false],
    ['plausible', false, false],
    ['analytics ga4', true, false],
    ['analytics,plausible', false, false],
    ['!advertising', true, false],
    ['!analytics', false, false],
    ['unknown', false, false],
    ['!unknown', false, false],
    // Names on Object.prototype are unknown ids too, never a truthy method.
    ['toString', false, false],
    ['constructor', false, false],
    ['__proto__', false, false],
    ['!hasOwnProperty', false, false],
    ['', false, false],
  ];
  for (const [expr, onDecided, onUndecided] of cases)
    it(`"${expr}" → ${String(onDecided)} decided, ${String(onUndecided)} undecided`, () => {
      expect(allows(decided, expr)).to.equal(onDecided);
      expect(allows(undecided, expr)).to.equal(onUndecided);
    });
});

describe('diffStates', () => {
  it('lists granted and revoked categories and services', () => {
    const before = stateOf(config, choice());
    const after = stateOf(config, choice({ categories: { analytics: false, advertising: true }, services: { ga4: true, plausible: true } }));
    expect(diffStates(before, after)).to.deep.equal({ granted: ['advertising'], revoked: ['analytics', 'ga4'] });
    expect(diffStates(after, after)).to.deep.equal({ granted: [], revoked: [] });
  });
});

describe('defaultState / storedState (regions and GPC)', () => {
  it('opt-in grants only required categories, whatever GPC says', () => {
    for (const gpc of [false, true])
      expect(defaultState(config, 'opt-in', gpc).categories).to.deep.equal({ necessary: true, analytics: false, advertising: false });
  });

  it('opt-out grants everything, except sale/share categories under GPC', () => {
    expect(defaultState(config, 'opt-out', false).categories).to.deep.equal({ necessary: true, analytics: true, advertising: true });
    expect(defaultState(config, 'opt-out', true).categories).to.deep.equal({ necessary: true, analytics: true, advertising: false });
    expect(defaultState(config, 'opt-out', true).decided).to.equal(false);
  });

  it('GPC refuses a sale/share category granted without it; an opt-in made under GPC stands', () => {
    const granted = choice({ categories: { necessary: true, analytics: true, advertising: true } });
    expect(storedState(config, granted, false).categories.advertising).to.equal(true);
    expect(storedState(config, granted, true).categories.advertising).to.equal(false);
    expect(storedState(config, granted, true).categories.analytics).to.equal(true);
    expect(storedState(config, { ...granted, gpc: true }, true).categories.advertising).to.equal(true);
  });

  it('a refusal stays a refusal when the GPC signal is later absent', () => {
    const refused = choice({ action: 'gpc_optout', gpc: true, categories: { necessary: true, analytics: true, advertising: false } });
    expect(storedState(config, refused, false).categories.advertising).to.equal(false);
  });
});
