import { expect } from '@open-wc/testing';
import type { ConsentKit } from '../../src/core/consent-kit.js';
import { startUi, type UiModule } from '../../src/ui/loader.js';
import { accessible, cleanup, makeKit } from './helpers.js';

/** A stand-in UI bundle that records what the gate asked it to show. */
function fakeUi() {
  const calls: string[] = [];
  let loads = 0;
  const ui: UiModule = {
    mount: (_kit: ConsentKit, view) => {
      calls.push(view);
      return Promise.resolve();
    },
  };
  const source = () => {
    loads++;
    return Promise.resolve(ui);
  };
  return { calls, source, loads: () => loads };
}

const floating = () => document.querySelector('consentkit-floating')?.shadowRoot?.querySelector<HTMLElement>('[part=floating]') ?? null;
const tick = () => new Promise((r) => setTimeout(r));

describe('startUi (the gate side)', () => {
  afterEach(cleanup);

  it('loads the UI for the banner when the visitor has not decided', async () => {
    const ui = fakeUi();
    startUi(makeKit(), ui.source);
    await tick();
    expect(ui.calls).to.deep.equal(['banner']);
    expect(floating() == null, 'no floating button').to.equal(true);
  });

  it('a returning visitor gets only the floating button; it loads the UI on demand', async () => {
    const ui = fakeUi();
    const kit = makeKit();
    kit.rejectAll();
    startUi(kit, ui.source);
    await tick();
    expect(ui.loads()).to.equal(0);
    const host = document.querySelector('consentkit-floating');
    if (host) await accessible(host);
    const button = floating();
    expect(button?.getAttribute('aria-label')).to.equal('Privacy settings');
    const box = button?.getBoundingClientRect();
    expect(box?.width).to.be.at.least(24);
    expect(box?.height).to.be.at.least(24);
    button?.click();
    await tick();
    expect(ui.calls).to.deep.equal(['preferences']);
  });

  it('data-consentkit="preferences" opens the preferences', async () => {
    const ui = fakeUi();
    const kit = makeKit();
    kit.acceptAll();
    startUi(kit, ui.source);
    const link = document.createElement('a');
    link.href = '#x';
    link.dataset.consentkit = 'preferences';
    link.innerHTML = '<span>Cookie settings</span>';
    document.body.append(link);
    try {
      link.querySelector('span')?.click();
      await tick();
      expect(ui.calls).to.deep.equal(['preferences']);
      expect(location.hash).not.to.equal('#x');
    } finally {
      link.remove();
    }
  });

  it('offers one-click withdrawal while an opt-in consent is in force', async () => {
    const kit = makeKit();
    kit.acceptAll();
    startUi(kit, fakeUi().source);
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

  it('data-consentkit="withdraw" withdraws in one click; ui.withdrawButton: false hides the corner button', () => {
    const kit = makeKit({ ui: { withdrawButton: false } });
    kit.acceptAll();
    startUi(kit, fakeUi().source);
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
    startUi(makeKit({}, { mode: 'opt-out', gpc: true }), fakeUi().source);
    await tick();
    const note = document.querySelector('consentkit-floating')?.shadowRoot?.querySelector('[part=gpc]');
    expect(note?.textContent).to.equal('Opt-Out Request Honored');
    expect(note?.getAttribute('role')).to.equal('status');
  });

  it('opt-out mode: no banner; the floating entry reads "Do Not Sell or Share My Personal Information"', async () => {
    const ui = fakeUi();
    startUi(makeKit({}, { mode: 'opt-out' }), ui.source);
    await tick();
    expect(ui.calls).to.deep.equal([]);
    expect(floating()?.textContent).to.equal('Do Not Sell or Share My Personal Information');
  });

  it('uses the site\'s own floating label in its language; none when floatingButton is false', () => {
    const kit = makeKit({ language: 'de', texts: { de: { 'floating.label': 'Cookie-Einstellungen' } } });
    kit.acceptAll();
    startUi(kit, fakeUi().source);
    expect(floating()?.getAttribute('aria-label')).to.equal('Cookie-Einstellungen');
    expect(document.querySelector('consentkit-floating')?.getAttribute('lang')).to.equal('de');
    cleanup();
    const off = makeKit({ ui: { floatingButton: false } });
    off.acceptAll();
    startUi(off, fakeUi().source);
    expect(floating() == null, 'no floating button').to.equal(true);
  });
});
