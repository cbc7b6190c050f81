import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { $, accessible, cleanup, focused, makeKit, show } from '../ui/helpers.js';

const CONFIG = {
  categories: [
    { id: 'necessary', required: true, cookies: [{ name: 'consentkit', provider: 'This site', purpose: 'Stores your choice', duration: '6 months' }] },
    {
      id: 'analytics',
      services: [
        { id: 'ga4', label: 'Google Analytics', cookies: [{ name: '_ga*', provider: 'Google', purpose: 'Counts visits', duration: '13 months' }] },
        { id: 'plausible', label: 'Plausible' },
      ],
    },
    { id: 'advertising' },
  ],
};

const switches = (root: ShadowRoot): Record<string, { on: boolean; disabled: boolean } | undefined> =>
  Object.fromEntries(
    [...root.querySelectorAll<HTMLInputElement>('input[role=switch]')].map((i) => [i.dataset.id ?? '', { on: i.checked, disabled: i.disabled }]),
  );

describe('<consentkit-preferences>', () => {
  afterEach(cleanup);

  for (const theme of ['light', 'dark'] as const) {
    it(`is accessible (${theme})`, async () => {
      const { el } = await show(makeKit({ ...CONFIG, ui: { theme } }), 'preferences');
      await accessible(el);
    });
  }

  it('is accessible in Hebrew, right to left, with a matching lang', async () => {
    const { el, root } = await show(makeKit({ ...CONFIG, language: 'he' }), 'preferences');
    const dialog = $(root, 'dialog');
    expect(dialog.lang).to.equal('he');
    expect(dialog.dir).to.equal('rtl');
    expect($(root, '[part=title]').textContent).to.equal('העדפות פרטיות');
    await accessible(el);
  });

  it('opens modal with an accessible name; necessary on and disabled, every optional switch off', async () => {
    const { root } = await show(makeKit(CONFIG), 'preferences');
    const dialog = $(root, 'dialog') as HTMLDialogElement;
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(dialog.getAttribute('aria-labelledby')).to.equal('ptitle');
    expect(switches(root)).to.deep.equal({
      necessary: { on: true, disabled: true },
      analytics: { on: false, disabled: false },
      ga4: { on: false, disabled: false },
      plausible: { on: false, disabled: false },
      advertising: { on: false, disabled: false },
    });
    expect([...root.querySelectorAll('th')].map((th) => th.textContent)).to.include.members(['Name', 'Provider', 'Purpose', 'Duration']);
    expect([...root.querySelectorAll('td')].map((td) => td.textContent)).to.include.members(['_ga*', 'Google', 'Counts visits', '13 months']);
    expect($(root, '[part=category] label').textContent).to.equal('Necessary');
  });

  it('shows the current choice and the consent receipt', async () => {
    const kit = makeKit(CONFIG);
    kit.set({ categories: { analytics: true }, services: { plausible: false } });
    const { root } = await show(kit, 'preferences');
    expect(switches(root).analytics?.on).to.equal(true);
    expect(switches(root).ga4?.on).to.equal(true);
    expect(switches(root).plausible?.on).to.equal(false);
    const choice = kit.getState().choice;
    expect($(root, '[part=receipt]').textContent).to.contain(choice?.id);
    expect($(root, '[part=receipt] time').getAttribute('datetime')).to.equal(new Date(choice?.updatedAt ?? 0).toISOString());
  });

  it('saves switches, then confirms in a role=status message', async () => {
    const kit = makeKit(CONFIG);
    const { el, root } = await show(kit, 'preferences');
    $(root, 'input[data-id=ga4]').click();
    await el.updateComplete;
    expect(switches(root).analytics?.on, 'a service needs its category').to.equal(true);
    $(root, '[part=save]').click();
    await el.updateComplete;
    expect(kit.getState().choice).to.include({ action: 'custom', source: 'preferences' });
    expect(kit.getState().services).to.include({ ga4: true, plausible: false });
    expect(kit.isGranted('advertising')).to.equal(false);
    expect(root.querySelector('dialog')?.open ?? false).to.equal(false);
    const status = $(root, '[role=status]');
    expect(status.textContent).to.equal('Your choices have been saved.');
  });

  it('withdraws with one click after consent', async () => {
    const kit = makeKit(CONFIG);
    kit.acceptAll('banner');
    const { root } = await show(kit, 'preferences');
    $(root, '[part=reject-all]').click();
    expect(kit.getState().choice?.action).to.equal('withdraw');
    expect(kit.isGranted('analytics')).to.equal(false);
  });

  it('keyboard: focus moves in, Tab wraps, Escape closes without deciding, focus returns', async () => {
    const opener = document.createElement('button');
    opener.textContent = 'open';
    document.body.append(opener);
    try {
      opener.focus();
      const kit = makeKit({ categories: [{ id: 'necessary', required: true }, { id: 'analytics' }] });
      const { el, root } = await show(kit, 'preferences');
      expect(root.contains(focused())).to.equal(true);
      const stops: string[] = [];
      for (let i = 0; i < 8; i++) {
        await sendKeys({ press: 'Tab' });
        const f = focused();
        if (root.contains(f)) stops.push(f?.getAttribute('part') ?? f?.tagName ?? '');
        // Chrome lets Tab visit its own toolbar (focus on no page element) before wrapping.
        else expect(f?.tagName ?? 'BODY', 'focus reached the page').to.equal('BODY');
      }
      // analytics (necessary is disabled), the three buttons, close, then round again.
      expect(stops.join(' ')).to.contain('reject-all accept-all save close toggle');
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(root.querySelector('dialog')?.open ?? false).to.equal(false);
      expect(kit.getState().decided).to.equal(false);
      expect(kit.isGranted('analytics')).to.equal(false);
      await new Promise((r) => setTimeout(r));
      expect(document.activeElement == opener, 'focus returned to the opener').to.equal(true);
    } finally {
      opener.remove();
    }
  });

  it('gives accept and reject the same size', async () => {
    const { root } = await show(makeKit(CONFIG), 'preferences');
    const a = $(root, '[part=accept-all]').getBoundingClientRect();
    const r = $(root, '[part=reject-all]').getBoundingClientRect();
    expect(Math.abs(a.width - r.width) / a.width).to.be.below(0.1);
    expect(Math.abs(a.height - r.height) / a.height).to.be.below(0.1);
  });

  it('opt-out mode with GPC: advertising off and "Opt-Out Request Honored" shown', async () => {
    const kit = makeKit(CONFIG, { mode: 'opt-out', gpc: true });
    const { root } = await show(kit, 'preferences');
    expect(switches(root).advertising?.on).to.equal(false);
    expect(switches(root).analytics?.on).to.equal(true);
    expect($(root, '[part=gpc]').textContent).to.equal('Opt-Out Request Honored');
  });
});
