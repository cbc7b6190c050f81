import { expect, oneEvent } from '@open-wc/testing';
import Cookies from 'js-cookie';
import { createConsentKit, install, installed, type ConsentKit } from '../../../src/gate/core/consent-kit.js';
import type { ChangeDetail } from '../../../src/gate/core/events.js';
import { init } from '../../../src/index.js';

let n = 0;
/** A fresh cookie (and so a fresh tab-sync channel) for every kit. */
const freshConfig = (extra: Record<string, unknown> = {}) => ({
  cookie: { name: `ck-test-${Date.now()}-${++n}` },
  categories: [
    { id: 'necessary', required: true },
    { id: 'analytics', services: [{ id: 'ga4' }] },
    { id: 'advertising' },
  ],
  ...extra,
});

/** Records every consentkit event fired on window while `fn` runs. */
async function eventsDuring(fn: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const types = ['consentkit:change', 'consentkit:first-consent', 'consentkit:decision'] as const;
  const on = (e: Event) => seen.push(e.type);
  for (const t of types) addEventListener(t, on);
  await fn();
  await Promise.resolve();
  for (const t of types) removeEventListener(t, on);
  return seen;
}

describe('ConsentKit', () => {
  const made: ConsentKit[] = [];
  const make = (config: unknown = freshConfig(), env = {}) => {
    const kit = createConsentKit(config, env, () => import('../../../src/parts/diagnostics/diagnostics.js'));
    made.push(kit);
    return kit;
  };
  afterEach(() => {
    for (const kit of made.splice(0)) Cookies.remove(kit.config.cookie.name, { path: '/' });
    delete window.consentkit;
  });

  it('starts undecided with every optional category refused', () => {
    const kit = make();
    expect(kit.ok).to.equal(true);
    expect(kit.getState().decided).to.equal(false);
    expect(kit.getState().categories).to.deep.equal({ necessary: true, analytics: false, advertising: false });
    expect(kit.isGranted('necessary')).to.equal(true);
    expect(kit.isGranted('analytics')).to.equal(false);
  });

  it('acceptAll stores the choice and fires first-consent, change and decision once', async () => {
    const kit = make();
    const change = oneEvent(window, 'consentkit:change');
    const seen = await eventsDuring(() => {
      kit.acceptAll('banner');
    });
    expect(seen).to.deep.equal(['consentkit:first-consent', 'consentkit:change', 'consentkit:decision']);
    const { detail } = (await change) as CustomEvent<ChangeDetail>;
    expect(detail.granted).to.have.members(['analytics', 'advertising', 'ga4']);
    expect(detail.revoked).to.deep.equal([]);
    expect(detail.origin).to.equal('local');
    expect(kit.isGranted('analytics ga4 advertising')).to.equal(true);
    const stored = Cookies.get(kit.config.cookie.name) ?? '';
    expect(stored).to.match(/^1\|[0-9a-f-]{36}\|\w+\|\w+\|1\|a\|b\|0\|necessary:1\/analytics:1\/advertising:1\|ga4:1$/);
  });

  it('a second identical decision fires a decision but no change', async () => {
    const kit = make();
    kit.acceptAll();
    const seen = await eventsDuring(() => {
      kit.acceptAll();
    });
    expect(seen).to.deep.equal(['consentkit:decision']);
    const again = await eventsDuring(() => {
      kit.set({ categories: { analytics: true, advertising: true } });
    });
    expect(again).to.deep.equal(['consentkit:decision']);
  });

  it('set from code emits change once with what changed', () => {
    const kit = make();
    kit.acceptAll();
    const details: ChangeDetail[] = [];
    const off = kit.onChange((d) => details.push(d));
    kit.set({ categories: { analytics: true }, services: { ga4: false } });
    off();
    kit.rejectAll();
    expect(details.length).to.equal(1);
    expect(details[0].revoked).to.have.members(['advertising', 'ga4']);
    expect(kit.getState().choice?.action).to.equal('reject_all');
  });

  it('keeps the services of a required category granted through reject all, withdrawal and set', () => {
    const kit = make(freshConfig({ categories: [{ id: 'necessary', required: true, services: [{ id: 'stripe' }] }, { id: 'analytics' }] }));
    kit.rejectAll();
    expect(kit.isGranted('necessary stripe')).to.equal(true);
    kit.acceptAll();
    kit.withdraw();
    expect(kit.getState().services).to.deep.equal({ stripe: true });
    kit.set({ categories: { analytics: true }, services: { stripe: false } });
    expect(kit.isGranted('stripe')).to.equal(true);
  });

  it('withdraw refuses everything optional and records the withdrawal', () => {
    const kit = make();
    kit.acceptAll();
    const id = kit.getState().choice?.id;
    kit.withdraw('preferences');
    const state = kit.getState();
    expect(state.categories).to.deep.equal({ necessary: true, analytics: false, advertising: false });
    expect(state.choice?.action).to.equal('withdraw');
    expect(state.choice?.source).to.equal('preferences');
    expect(state.choice?.id).to.equal(id);
  });

  it('reset forgets the choice and deletes the cookie', async () => {
    const kit = make();
    kit.acceptAll();
    const seen = await eventsDuring(() => {
      kit.reset();
    });
    expect(seen).to.deep.equal(['consentkit:change']);
    expect(Cookies.get(kit.config.cookie.name)).to.equal(undefined);
    expect(kit.getState().decided).to.equal(false);
  });

  it('whenGranted resolves when the category is granted, at once if it already is', async () => {
    const kit = make();
    let resolved = false;
    const p = kit.whenGranted('analytics').then(() => (resolved = true));
    kit.rejectAll();
    await Promise.resolve();
    expect(resolved).to.equal(false);
    kit.set({ categories: { analytics: true } });
    await p;
    expect(resolved).to.equal(true);
    await kit.whenGranted('analytics');
  });

  it('reads a valid stored choice on start', () => {
    const first = make();
    first.set({ categories: { analytics: true } });
    const second = make(first.config.source);
    expect(second.getState().decided).to.equal(true);
    expect(second.isGranted('analytics')).to.equal(true);
    expect(second.isGranted('advertising')).to.equal(false);
  });

  it('adopts another tab\'s decision from its message, before the cookie is visible here', async () => {
    const config = freshConfig();
    const other = make(config);
    const here = make(config);
    const changed = oneEvent(window, 'consentkit:change');
    other.acceptAll();
    // This tab's view of the cookie jar may lag the other tab's write: take it away.
    Cookies.remove(config.cookie.name, { path: '/' });
    const { detail } = (await changed) as CustomEvent<ChangeDetail>;
    expect(detail.origin).to.equal('local');
    const remote = await oneEvent<CustomEvent<ChangeDetail>>(window, 'consentkit:change');
    expect(remote.detail.origin).to.equal('remote');
    expect(here.isGranted('analytics')).to.equal(true);
    expect(here.getState().choice?.id).to.equal(other.getState().choice?.id);
    // A reset there is no choice here.
    other.reset();
    await oneEvent(window, 'consentkit:change');
    await new Promise((r) => setTimeout(r, 20));
    expect(here.getState().decided).to.equal(false);
    // A message this copy cannot read (another version, garbage) falls back to the cookie.
    here.acceptAll();
    await new Promise((r) => setTimeout(r, 20));
    const id = here.getState().choice?.id;
    new BroadcastChannel(`consentkit:${config.cookie.name}`).postMessage('9|garbage');
    await new Promise((r) => setTimeout(r, 20));
    expect(here.getState().choice?.id).to.equal(id);
    Cookies.remove(config.cookie.name, { path: '/' });
    new BroadcastChannel(`consentkit:${config.cookie.name}`).postMessage('9|garbage');
    await new Promise((r) => setTimeout(r, 20));
    expect(here.getState().decided).to.equal(false);
  });

  it('treats a malformed cookie as no choice without throwing', () => {
    const config = freshConfig();
    for (const bad of ['', 'garbage', '%E0%A4%A', '1|x|y', '{"a":1}']) {
      document.cookie = `${config.cookie.name}=${bad}; path=/`;
      const kit = make(config);
      expect(kit.getState().decided, bad).to.equal(false);
      expect(kit.isGranted('analytics')).to.equal(false);
    }
  });

  it('treats an expired choice as no choice (controllable clock)', () => {
    let now = Date.UTC(2026, 0, 1);
    const config = freshConfig({ cookie: { name: `ck-exp-${++n}`, expiryDays: 30 } });
    make(config, { now: () => now }).acceptAll();
    now += 29 * 864e5;
    expect(make(config, { now: () => now }).getState().decided).to.equal(true);
    now += 864e5;
    expect(make(config, { now: () => now }).getState().decided).to.equal(false);
  });

  it('asks again after a revision bump', () => {
    const config = freshConfig({ revision: 1 });
    make(config).acceptAll();
    expect(make({ ...config, revision: 2 }).getState().decided).to.equal(false);
  });

  it('with an invalid config: logs the field, stores nothing, keeps everything optional refused', async () => {
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      const kit = make({ cookie: { name: `ck-bad-${++n}` }, categories: [{ id: 'necessary', required: true }, { label: 'x' }] });
      expect(kit.ok).to.equal(false);
      kit.acceptAll();
      expect(kit.isGranted('necessary')).to.equal(true);
      expect(Cookies.get(kit.config.cookie.name)).to.equal(undefined);
      // The diagnostics part names the field once it has loaded.
      for (let i = 0; i < 100 && !errors.some((a) => a.join(' ').includes('invalid config: categories[1]')); i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors.map((a) => a.join(' ')).join('\n')).to.contain('categories[1].id must be a non-empty string');
    } finally {
      console.error = original;
    }
  });

  it('writes a small host-only cookie with SameSite=Lax and Path=/', async () => {
    const kit = make();
    kit.acceptAll();
    const { cookieStore } = window as unknown as { cookieStore: { get(n: string): Promise<Record<string, unknown> | null> } };
    // The cookie store learns of a document.cookie write a moment later (it read null in about
    // one run of ten when asked at once): ask again until it has it.
    let c = await cookieStore.get(kit.config.cookie.name);
    for (let i = 0; i < 50 && !c; i++) {
      await new Promise((r) => setTimeout(r, 20));
      c = await cookieStore.get(kit.config.cookie.name);
    }
    expect(c?.path).to.equal('/');
    expect(c?.sameSite).to.equal('lax');
    expect(c?.domain).to.equal(null);
    expect(Number(c?.expires) - Date.now()).to.be.within(181 * 864e5, 183 * 864e5);
    expect(`${kit.config.cookie.name}=${String(c?.value)}`.length).to.be.below(4096);
  });

  it('keeps working when a change listener throws', () => {
    const kit = make();
    const original = console.error;
    console.error = () => undefined;
    let second = false;
    kit.onChange(() => {
      throw new Error('listener bug');
    });
    kit.onChange(() => (second = true));
    try {
      kit.acceptAll();
    } finally {
      console.error = original;
    }
    expect(second).to.equal(true);
    expect(kit.isGranted('analytics')).to.equal(true);
  });
});

describe('pre-load queue and global install', () => {
  afterEach(() => {
    delete window.consentkit;
  });

  it('runs functions and [method, ...args] pushed before load, in order', () => {
    const calls: string[] = [];
    window.consentkit = [];
    window.consentkit.push((ck) => calls.push(`fn:${String(ck.getState().decided)}`));
    window.consentkit.push(['set', { categories: { analytics: true } }]);
    window.consentkit.push((ck) => calls.push(`after:${String(ck.isGranted('analytics'))}`));
    const kit = install(createConsentKit(freshConfig()));
    expect(window.consentkit).to.equal(kit);
    expect(calls).to.deep.equal(['fn:false', 'after:true']);
    kit.push((ck) => calls.push(`late:${ck.version}`));
    expect(calls[2]).to.equal(`late:${kit.version}`);
    Cookies.remove(kit.config.cookie.name, { path: '/' });
  });

  it('logs and skips a queued call to an unknown method', () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(' '));
    try {
      window.consentkit = [['noSuchMethod']];
      install(createConsentKit(freshConfig()));
    } finally {
      console.error = original;
    }
    expect(errors.join()).to.contain('unknown method "noSuchMethod"');
  });

  it('init twice on one page returns the first API', () => {
    const a = init(freshConfig());
    const b = init(freshConfig());
    expect(b).to.equal(a);
    expect(installed()).to.equal(a);
  });

  it('fires ready with the state', async () => {
    // Let the ready events of kits made by earlier tests go by first.
    await new Promise((r) => setTimeout(r));
    const ready = oneEvent(window, 'consentkit:ready');
    createConsentKit(freshConfig());
    const e = (await ready) as CustomEvent<{ state: { decided: boolean } }>;
    expect(e.detail.state.decided).to.equal(false);
  });
});
