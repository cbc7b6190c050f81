import { expect } from '@open-wc/testing';
import Cookies from 'js-cookie';
import { placeholderFor } from '../../../src/parts/embeds/embeds.js';
import { createConsentKit } from '../../../src/gate/core/consent-kit.js';

const iframe = (title = '') => {
  const el = document.createElement('iframe');
  el.setAttribute('data-category', 'functional');
  el.setAttribute('data-src', 'https://video.example/embed');
  if (title) el.title = title;
  return el;
};

describe('embeds part: placeholderFor', () => {
  const kit = createConsentKit({
    cookie: { name: `ck-embeds-${Date.now()}` },
    language: 'de',
    categories: [{ id: 'necessary', required: true }, { id: 'functional', label: 'Komfort' }],
    texts: { de: { 'placeholder.once': 'Einmal laden' } },
  });
  after(() => {
    Cookies.remove(kit.config.cookie.name, { path: '/' });
  });

  it('names the iframe and the category it needs, in the bundled translation with the texts of config.texts on top', async () => {
    let once = 0;
    const box = await placeholderFor(kit, iframe('Our video'), 'functional', () => once++);
    expect(box.getAttribute('data-consentkit')).to.equal('placeholder');
    expect(box.getAttribute('aria-label')).to.equal('Our video ist blockiert. Dafür ist Ihre Einwilligung in „Komfort“ nötig.');
    const [loadOnce, allow] = box.querySelectorAll('button');
    expect(loadOnce.textContent).to.equal('Einmal laden');
    expect(allow.textContent).to.equal('„Komfort“ immer erlauben');
    loadOnce.click();
    expect(once).to.equal(1);
    expect(kit.isGranted('functional')).to.equal(false);
  });

  it('"Always allow" grants the category with source placeholder', async () => {
    const box = await placeholderFor(kit, iframe(), 'functional', () => undefined);
    expect(box.getAttribute('aria-label')).to.contain('video.example ist blockiert');
    box.querySelectorAll('button')[1].click();
    expect(kit.isGranted('functional')).to.equal(true);
    expect(kit.getState().choice?.source).to.equal('placeholder');
  });

  it('offers only "load once" when no refused category is named', async () => {
    const box = await placeholderFor(kit, iframe(), '!functional', () => undefined);
    expect(box.querySelectorAll('button').length).to.equal(1);
  });
});
