import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { ConsentkitBanner } from '../../../src/parts/ui/banner.js';
import { $, accessible, cleanup, focused, makeKit, show } from './helpers.js';

const CONFIG = {
  categories: [{ id: 'necessary', required: true }, { id: 'analytics' }, { id: 'advertising' }],
  ui: { privacyPolicyUrl: '/privacy' },
};

describe('<consentkit-banner>', () => {
  afterEach(cleanup);

  for (const theme of ['light', 'dark'] as const) {
    for (const layout of ['bar', 'box', 'modal'] as const) {
      it(`is accessible (${theme}, ${layout})`, async () => {
        const { el } = await show(makeKit({ ...CONFIG, ui: { ...CONFIG.ui, theme, layout } }), 'banner');
        await accessible(el);
      });
    }
  }

  it('is accessible in Arabic, right to left', async () => {
    const { el, root } = await show(makeKit({ ...CONFIG, language: 'ar' }), 'banner');
    const panel = $(root, '[part~=banner]');
    expect(panel.lang).to.equal('ar');
    expect(panel.dir).to.equal('rtl');
    expect($(root, '[part=accept-all]').textContent).to.equal('قبول الكل');
    await accessible(el);
  });

  it('gives accept and reject the same size and look', async () => {
    for (const width of [1280, 320]) {
      document.body.style.width = `${width}px`;
      const { root } = await show(makeKit(CONFIG), 'banner');
      const a = $(root, '[part=accept-all]');
      const r = $(root, '[part=reject-all]');
      const ra = a.getBoundingClientRect();
      const rr = r.getBoundingClientRect();
      expect(Math.abs(ra.width - rr.width) / ra.width).to.be.below(0.1);
      expect(Math.abs(ra.height - rr.height) / ra.height).to.be.below(0.1);
      expect(a.className).to.equal(r.className);
      expect(getComputedStyle(a).backgroundColor).to.equal(getComputedStyle(r).backgroundColor);
      expect(getComputedStyle(a).fontWeight).to.equal(getComputedStyle(r).fontWeight);
      cleanup();
    }
    document.body.style.width = '';
  });

  it('reflows at 320 px: every control inside the viewport and at least 24 px', async () => {
    await setViewport({ width: 320, height: 640 });
    try {
      for (const layout of ['bar', 'box', 'modal']) {
        const { root } = await show(makeKit({ ...CONFIG, ui: { ...CONFIG.ui, layout } }), 'banner');
        for (const el of root.querySelectorAll('button, a')) {
          const r = el.getBoundingClientRect();
          expect(r.left, `${layout} ${el.getAttribute('part')}`).to.be.at.least(0);
          expect(r.right, `${layout} ${el.getAttribute('part')}`).to.be.at.most(320);
          if (el.tagName == 'BUTTON') expect(Math.min(r.width, r.height)).to.be.at.least(24);
        }
        cleanup();
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('on a 320×640 phone the bar takes at most 40 % of the height; its three buttons stay in view and alike', async () => {
    await setViewport({ width: 320, height: 640 });
    try {
      for (const language of ['en', 'de']) {
        const { root } = await show(makeKit({ ...CONFIG, language }), 'banner');
        const panel = $(root, '[part~=banner]');
        for (const a of panel.getAnimations()) a.finish();
        const p = panel.getBoundingClientRect();
        expect(p.height, `${language}: banner height`).to.be.at.most(0.4 * 640);
        const sizes = ['reject-all', 'accept-all', 'preferences'].map((name) => {
          const r = $(root, `[part~=${name}]`).getBoundingClientRect();
          for (const [inside, outside] of [[r.top, 0], [r.left, 0], [r.top, p.top], [r.left, p.left]]) expect(inside, `${language} ${name}`).to.be.at.least(outside);
          for (const [inside, outside] of [[r.bottom, 640], [r.right, 320], [r.bottom, p.bottom], [r.right, p.right]]) expect(inside, `${language} ${name}`).to.be.at.most(outside);
          return r;
        });
        for (const r of sizes) {
          expect(Math.abs(r.width - sizes[0].width) / sizes[0].width, `${language}: equal widths`).to.be.below(0.1);
          expect(Math.abs(r.height - sizes[0].height) / sizes[0].height, `${language}: equal heights`).to.be.below(0.1);
        }
        cleanup();
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('accepts and rejects with one click each', async () => {
    const kit = makeKit(CONFIG);
    let { root } = await show(kit, 'banner');
    $(root, '[part=reject-all]').click();
    expect(kit.getState()).to.include({ decided: true });
    expect(kit.getState().choice?.action).to.equal('reject_all');
    expect(kit.getState().choice?.source).to.equal('banner');
    expect(kit.isGranted('analytics')).to.equal(false);
    kit.reset();
    ({ root } = await show(kit, 'banner'));
    $(root, '[part=accept-all]').click();
    expect(kit.isGranted('analytics advertising')).to.equal(true);
  });

  it('Tab order runs through the banner; Escape records a refusal and never grants', async () => {
    const kit = makeKit(CONFIG);
    const { el, root } = await show(kit, 'banner');
    $(root, 'a').focus();
    const order: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(focused()?.getAttribute('part') ?? null);
    }
    expect(order).to.deep.equal(['reject-all', 'accept-all', 'preferences', 'close']);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(kit.getState().choice?.action).to.equal('close');
    expect(kit.isGranted('analytics')).to.equal(false);
    expect(kit.isGranted('advertising')).to.equal(false);
    expect(root.querySelector('[part~=banner]') == null, 'banner gone').to.equal(true);
  });

  it('modal layout: focus moves in, Tab wraps, Escape refuses', async () => {
    const kit = makeKit({ ...CONFIG, ui: { layout: 'modal' } });
    const { el, root } = await show(kit, 'banner');
    const dialog = $(root, 'dialog') as HTMLDialogElement;
    expect(dialog.open).to.equal(true);
    expect(root.contains(focused())).to.equal(true);
    $(root, '[part=close]').focus();
    await sendKeys({ press: 'Tab' });
    // The browser's own chrome may take one Tab stop before focus wraps.
    if (!root.contains(focused())) await sendKeys({ press: 'Tab' });
    expect(focused()?.getAttribute('part') ?? focused()?.tagName).to.equal('reject-all');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(kit.getState().choice?.action).to.equal('close');
    expect(kit.isGranted('analytics')).to.equal(false);
  });

  it('modal layout: the dialog is centred in the viewport, and the preferences dialog keeps 8 px from its edges', async () => {
    for (const [width, height] of [[1280, 800], [375, 700]]) {
      await setViewport({ width, height });
      const kit = makeKit({ ...CONFIG, ui: { layout: 'modal' } });
      const { root } = await show(kit, 'banner');
      const dialog = $(root, 'dialog');
      // The entry animation slides the panel in; measure where it comes to rest
      // (finished by hand: a page in a background tab may not run animations).
      for (const a of dialog.getAnimations()) a.finish();
      const r = dialog.getBoundingClientRect();
      // Centred: equal space left and right, above and below (a shared margin:0 once pinned it top-left).
      expect(Math.abs(r.left - (innerWidth - r.right)), `horizontal at ${width}px`).to.be.below(2);
      expect(Math.abs(r.top - (innerHeight - r.bottom)), `vertical at ${width}px`).to.be.below(2);
      cleanup();
    }
    await setViewport({ width: 375, height: 400 });
    const prefs = await show(makeKit(CONFIG), 'preferences');
    const dialog = $(prefs.root, 'dialog');
    for (const a of dialog.getAnimations()) a.finish();
    const d = dialog.getBoundingClientRect();
    expect(d.top, 'top gap').to.be.at.least(7.5);
    expect(innerHeight - d.bottom, 'bottom gap').to.be.at.least(7.5);
    await setViewport({ width: 800, height: 600 });
  });

  it('asks for the preferences dialog when the pointer or focus reaches the Preferences button', async () => {
    const { el, root } = await show(makeKit(CONFIG), 'banner');
    if (!(el instanceof ConsentkitBanner)) throw new Error('no banner');
    let asked = 0;
    el.preloadPreferences = () => {
      asked++;
    };
    el.requestUpdate();
    await el.updateComplete;
    const button = $(root, '[part~=preferences]');
    button.dispatchEvent(new PointerEvent('pointerenter'));
    expect(asked).to.equal(1);
    button.focus();
    expect(asked).to.equal(2);
  });

  it('closeAction "dismiss" records nothing, and the text does not claim a refusal', async () => {
    const kit = makeKit({ ...CONFIG, ui: { closeAction: 'dismiss' } });
    const { el, root } = await show(kit, 'banner');
    expect($(root, '[part=text]').textContent).not.to.contain('refuses');
    $(root, '[part=close]').click();
    await el.updateComplete;
    expect(kit.getState().decided).to.equal(false);
    expect(root.querySelector('[part~=banner]') == null, 'banner gone').to.equal(true);
  });

  it('says that closing refuses when it does', async () => {
    const { root } = await show(makeKit(CONFIG), 'banner');
    expect($(root, '[part=text]').textContent).to.contain('Closing this banner refuses all optional cookies.');
  });

  it('hides no focused page element behind the bar', async () => {
    const links: HTMLAnchorElement[] = [];
    for (let i = 0; i < 40; i++) {
      const a = document.createElement('a');
      a.href = '#';
      a.textContent = `link ${i}`;
      a.style.display = 'block';
      a.style.margin = '20px';
      document.body.append(a);
      links.push(a);
    }
    try {
      const { root } = await show(makeKit(CONFIG), 'banner');
      const bar = $(root, '[part~=banner]');
      // Reserved in the task after the one that rendered the banner.
      await waitUntil(() => document.body.style.paddingBottom != '', 'no space reserved below the page');
      expect(document.body.style.paddingBottom).to.equal(`${bar.offsetHeight}px`);
      for (const a of links) {
        a.focus();
        const r = a.getBoundingClientRect();
        expect(r.bottom, a.textContent).to.be.at.most(bar.getBoundingClientRect().top + 1);
      }
    } finally {
      for (const a of links) a.remove();
      scrollTo(0, 0);
    }
  });

  it('shows "Opt-Out Request Honored" when GPC refused a sale/share category', async () => {
    const { root } = await show(makeKit(CONFIG, { gpc: true }), 'banner');
    expect($(root, '[part=gpc]').textContent).to.equal('Opt-Out Request Honored');
  });

  it('under GPC, accept-all asks before granting advertising; the safe answer has focus', async () => {
    const kit = makeKit(CONFIG, { gpc: true });
    const { el, root } = await show(kit, 'banner');
    $(root, '[part=accept-all]').click();
    await el.updateComplete;
    expect(kit.getState().decided).to.equal(false);
    expect(focused()).to.equal($(root, '[part~=gpc-keep]'));
    await accessible(el);
    $(root, '[part~=gpc-allow]').click();
    expect(kit.getState().categories.advertising).to.equal(true);
    expect(kit.getState().choice).to.include({ action: 'accept_all', source: 'banner', gpc: true, gpcConfirmed: true });
  });

  it('under GPC, "Keep my opt-out" grants the rest only', async () => {
    const kit = makeKit(CONFIG, { gpc: true });
    const { el, root } = await show(kit, 'banner');
    $(root, '[part=accept-all]').click();
    await el.updateComplete;
    $(root, '[part~=gpc-keep]').click();
    expect(kit.getState().categories).to.deep.equal({ necessary: true, analytics: true, advertising: false });
    expect(kit.getState().choice).to.include({ action: 'custom' });
    expect(kit.getState().choice?.gpcConfirmed).to.equal(undefined);
  });

  it('reports what it showed in kit.shown', async () => {
    const kit = makeKit({ ...CONFIG, texts: { en: { 'banner.title': 'Cookies?' } } });
    const { root } = await show(kit, 'banner');
    expect($(root, '[part=title]').textContent).to.equal('Cookies?');
    expect(kit.shown?.language).to.equal('en');
    expect(kit.shown?.texts['banner.title']).to.equal('Cookies?');
  });
});
