import { expect } from '@open-wc/testing';
import type { ConsentKit } from '../../src/gate/core/consent-kit.js';
import { partLoader } from '../../src/gate/parts.js';
import { startUi, type UiModule } from '../../src/gate/ui-loader.js';
import { accessible, cleanup, makeKit } from '../parts/ui/helpers.js';

/**
 * A stand-in UI bundle that records what the gate asked it to show (`calls`),
 * and a stand-in preferences part; `events` has both in the order they happened.
 */
function fakeUi() {
  const calls: string[] = [];
  const events: string[] = [];
  let loads = 0;
  let preload: (() => void) | undefined;
  const ui: UiModule = {
    mount: (_kit: ConsentKit, view, preloadPreferences) => {
      calls.push(view);
      events.push(`mount ${view}`);
      preload = preloadPreferences;
      return Promise.resolve();
    },
  };
  const source = () => {
    loads++;
    return Promise.resolve(ui);
  };
  const preferences = () => {
    events.push('fetch preferences part');
    return Promise.resolve({ ConsentkitPreferences: class extends HTMLElement {} });
  };
  /** What the banner's Preferences button does when the pointer or focus reaches it. */
  const hint = () => {
    preload?.();
  };
  return { calls, events, source, preferences, hint, loads: () => loads };
}

const floating = () => document.querySelector('consentkit-floating')?.shadowRoot?.querySelector<HTMLElement>('[part=floating]') ?? null;
const tick = () => new Promise((r) => setTimeout(r));
/** The UI renders in a task after the one it loaded in. */
const rendered = () => tick().then(tick);
/** The parts as an ESM build has them: the stand-in UI and preferences part, and the real corner. */
const parts = (ui: ReturnType<typeof fakeUi>) =>
  partLoader(null, { ui: ui.source, preferences: ui.preferences, corner: () => import('../../src/parts/corner/corner.js') });
/** The corner loads at idle time: wait until `host` is on the page (or give up after 3 s). */
async function corner(host = 'consentkit-floating'): Promise<void> {
  for (let t = Date.now(); !document.querySelector(host) && Date.now() - t < 3000; ) await tick();
}

describe('startUi (the gate side)', () => {
  // A corner a test started loads at idle time: let it arrive before removing it.
  afterEach(async () => {
    await new Promise((r) => requestIdleCallback(() => setTimeout(r, 50)));
    cleanup();
  });

  it('loads the UI for the banner when the visitor has not decided', async () => {
    const ui = fakeUi();
    startUi(makeKit(), parts(ui));
    await rendered();
    expect(ui.calls).to.deep.equal(['banner']);
    expect(floating() == null, 'no floating button').to.equal(true);
  });

  it('on a page already parsed (a deferred gate, init() in an app) the UI is fetched in a task after startUi, not in its call', async () => {
    const ui = fakeUi();
    startUi(makeKit(), parts(ui));
    expect(ui.loads(), 'in the gate\'s own task').to.equal(0);
    await tick();
    expect(ui.loads()).to.equal(1);
    await rendered();
    expect(ui.calls).to.deep.equal(['banner']);
  });

  it('the preferences part is fetched after the banner shows (at idle time, or as the visitor moves toward Preferences), once', async () => {
    const ui = fakeUi();
    startUi(makeKit(), parts(ui));
    await rendered();
    expect(ui.events[0]).to.equal('mount banner');
    ui.hint();
    await new Promise((r) => requestIdleCallback(() => setTimeout(r)));
    expect(ui.events).to.deep.equal(['mount banner', 'fetch preferences part']);
  });

  it('opening the preferences fetches the preferences part before mounting the dialog', async () => {
    const ui = fakeUi();
    const kit = makeKit();
    kit.rejectAll();
    startUi(kit, parts(ui));
    kit.showPreferences();
    await rendered();
    expect(ui.events).to.deep.equal(['fetch preferences part', 'mount preferences']);
  });

  it('a returning visitor gets only the floating button; it loads the UI on demand', async () => {
    const ui = fakeUi();
    const kit = makeKit();
    kit.rejectAll();
    startUi(kit, parts(ui));
    await corner();
    expect(ui.loads()).to.equal(0);
    const host = document.querySelector('consentkit-floating');
    if (host) await accessible(host);
    const button = floating();
    expect(button?.getAttribute('aria-label')).to.equal('Privacy settings');
    const box = button?.getBoundingClientRect();
    expect(box?.width).to.be.at.least(24);
    expect(box?.height).to.be.at.least(24);
    button?.click();
    await rendered();
    expect(ui.calls).to.deep.equal(['preferences']);
  });

  it('data-consentkit="preferences" opens the preferences', async () => {
    const ui = fakeUi();
    const kit = makeKit();
    kit.acceptAll();
    startUi(kit, parts(ui));
    const link = document.createElement('a');
    link.href = '#x';
    link.dataset.consentkit = 'preferences';
    link.innerHTML = '<span>Cookie settings</span>';
    document.body.append(link);
    try {
      link.querySelector('span')?.click();
      await rendered();
      expect(ui.calls).to.deep.equal(['preferences']);
      expect(location.hash).not.to.equal('#x');
    } finally {
      link.remove();
    }
  });

  it('offers one-click withdrawal while an opt-in consent is in force', async () => {
    const kit = makeKit();
    kit.acceptAll();
    startUi(kit, parts(fakeUi()));
    await corner('consentkit-withdraw');
    const host = document.querySelector('consentkit-withdraw');
    const withdraw = host?.shadowRoot?.querySelector<HTMLElement>('[part=withdraw]');
    expect(withdraw?.textContent).to.equal('Withdraw consent');
    if (host) await accessible(host);
    // Beside the round button, not over it.
    const a = floating()?.getBoundingClientRect();
    const b = withdraw?.getBoundingClientRect();
    expect(a && b && (b.left >= a.right || b.right <= a.left)).to.equal(true);
    withdraw?.click();
    expect(kit.getState().choice).to.include({ action: 'withdraw', source: 'page' });
    expect(document.querySelector('consentkit-withdraw')).to.equal(null);
    expect(floating()).not.to.equal(null);
  });

  it('data-consentkit="withdraw" withdraws in one click; ui.withdrawButton: false hides the corner button', async () => {
    const kit = makeKit({ ui: { withdrawButton: false } });
    kit.acceptAll();
    startUi(kit, parts(fakeUi()));
    await corner();
    expect(floating()).not.to.equal(null);
    expect(document.querySelector('consentkit-withdraw')).to.equal(null);
    const button = document.createElement('button');
    button.dataset.consentkit = 'withdraw';
    document.body.append(button);
    try {
      button.click();
      expect(kit.getState().choice).to.include({ action: 'withdraw', source: 'page' });
    } finally {
      button.remove();
    }
  });

  it('shows "Opt-Out Request Honored" in the corner when GPC refused a sale/share category', async () => {
    startUi(makeKit({}, { mode: 'opt-out', gpc: true }), parts(fakeUi()));
    await corner();
    const note = document.querySelector('consentkit-floating')?.shadowRoot?.querySelector('[part=gpc]');
    expect(note?.textContent).to.equal('Opt-Out Request Honored');
    expect(note?.getAttribute('role')).to.equal('status');
  });

  it('opt-out mode: no banner; the floating entry reads "Do Not Sell or Share My Personal Information"', async () => {
    const ui = fakeUi();
    startUi(makeKit({}, { mode: 'opt-out' }), parts(ui));
    await corner();
    expect(ui.calls).to.deep.equal([]);
    expect(floating()?.textContent).to.equal('Do Not Sell or Share My Personal Information');
  });

  it('uses the site\'s own floating label in its language; none when floatingButton is false', async () => {
    const kit = makeKit({ language: 'de', texts: { de: { 'floating.label': 'Cookie-Einstellungen' } } });
    kit.acceptAll();
    startUi(kit, parts(fakeUi()));
    await corner();
    expect(floating()?.getAttribute('aria-label')).to.equal('Cookie-Einstellungen');
    expect(document.querySelector('consentkit-floating')?.getAttribute('lang')).to.equal('de');
    cleanup();
    const off = makeKit({ ui: { floatingButton: false } });
    off.acceptAll();
    startUi(off, parts(fakeUi()));
    await corner('consentkit-withdraw');
    expect(floating() == null, 'no floating button').to.equal(true);
  });
});
