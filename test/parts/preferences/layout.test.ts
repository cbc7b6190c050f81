// The dialog on narrow screens, in every direction: nothing scrolls sideways,
// the title stays clear of ×, left-to-right values keep their direction, and a
// category's own cookies come before its services.
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { $, cleanup, makeKit, show } from '../ui/helpers.js';

const CONFIG = {
  categories: [
    { id: 'necessary', required: true, cookies: [{ name: 'consentkit', provider: 'This site', purpose: 'Stores your choice', duration: '6 months' }] },
    {
      id: 'analytics',
      cookies: [{ name: '_pk_id.*', provider: 'This site', purpose: 'Counts visits', duration: '13 months' }],
      services: [
        { id: 'ga4', label: 'Google Analytics', cookies: [{ name: '_ga*', provider: 'Google', purpose: 'Counts visits', duration: '13 months' }] },
        { id: 'plausible', label: 'Plausible' },
      ],
    },
    { id: 'advertising' },
  ],
};

/** Opens every cookie table and lets the entry animation come to rest. */
async function openDialog(language: string) {
  const { el, root } = await show(makeKit({ ...CONFIG, language }), 'preferences');
  for (const d of root.querySelectorAll('details')) d.open = true;
  const dialog = $(root, 'dialog');
  for (const a of dialog.getAnimations()) a.finish();
  await el.updateComplete;
  return { root, dialog };
}

const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('<consentkit-preferences> layout', () => {
  afterEach(cleanup);

  describe('at 320 px', () => {
    before(() => setViewport({ width: 320, height: 640 }));
    after(() => setViewport({ width: 800, height: 600 }));

    for (const language of ['en', 'de', 'es', 'nl', 'pt', 'pl', 'sv', 'fr', 'it', 'da', 'ar', 'he']) {
      it(`nothing scrolls sideways and the title stays clear of × (${language})`, async () => {
        const { root, dialog } = await openDialog(language);
        expect(root.querySelectorAll('[part=cookies]').length).to.equal(3);
        expect(dialog.scrollWidth, 'the dialog scrolls sideways').to.be.at.most(dialog.clientWidth);
        for (const table of root.querySelectorAll<HTMLElement>('[part=cookies]')) {
          const t = table.getBoundingClientRect();
          const d = dialog.getBoundingClientRect();
          expect(t.right, 'table past the dialog').to.be.at.most(d.right);
          expect(t.left, 'table past the dialog').to.be.at.least(d.left);
        }
        const title = $(root, '[part=title]');
        const range = document.createRange();
        range.selectNodeContents(title);
        const close = $(root, '[part=close]').getBoundingClientRect();
        expect(overlap(title.getBoundingClientRect(), close), 'title box under ×').to.equal(false);
        for (const line of range.getClientRects()) expect(overlap(line, close), 'title text under ×').to.equal(false);
      });
    }
  });

  for (const language of ['ar', 'he']) {
    it(`keeps cookie names left to right in ${language}`, async () => {
      const { root } = await openDialog(language);
      const cell = [...root.querySelectorAll('td')].find((td) => td.textContent.trim() == '_ga*');
      if (!cell) throw new Error('no _ga* cell');
      const ltr = (el: Element) => getComputedStyle(el).direction == 'ltr';
      const isolated = [...cell.querySelectorAll('bdi, [dir]')].find((el) => el.textContent.trim() == '_ga*');
      expect(ltr(cell) || (isolated !== undefined && ltr(isolated)), 'the name is laid out left to right').to.equal(true);
      // Rendered as written: the underscore at the left, the star at the right.
      const range = document.createRange();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, (n) => (n.textContent?.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP));
      const text = walker.nextNode();
      if (!text?.textContent) throw new Error('no text node');
      const start = text.textContent.indexOf('_ga*');
      range.setStart(text, start);
      range.setEnd(text, start + 1);
      const underscore = range.getBoundingClientRect();
      range.setStart(text, start + 3);
      range.setEnd(text, start + 4);
      expect(underscore.left).to.be.below(range.getBoundingClientRect().left);
    });
  }

  it("shows a category's own cookies before its services", async () => {
    const { root } = await openDialog('en');
    const analytics = root.querySelectorAll('[part=category]')[1];
    const own = [...analytics.querySelectorAll('[part=cookies]')].find((t) => t.textContent.includes('_pk_id.*'));
    const service = analytics.querySelector('[part=service]');
    if (!own || !service) throw new Error('no table or service');
    expect(service.contains(own), 'the category table sits in no service').to.equal(false);
    expect(own.compareDocumentPosition(service) & Node.DOCUMENT_POSITION_FOLLOWING, 'the category table comes before the services').to.not.equal(0);
  });
});
