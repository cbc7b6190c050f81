import { expect } from '@open-wc/testing';
import { createConsentKit } from '../../../src/gate/core/consent-kit.js';
import { startAutoBlock } from '../../../src/gate/blocker/auto-block.js';

// Auto-blocking patches this page's DOM for good: every case here runs with it on.
describe('startAutoBlock', () => {
  const kit = createConsentKit({
    cookie: { name: `ck-auto-block-${Date.now()}` },
    categories: [{ id: 'necessary', required: true }, { id: 'advertising', services: [{ id: 'meta', urls: ['connect.facebook.net'] }] }],
  });
  const ran = new Set<string>();
  /** The held elements auto-blocking tells the blocker of. */
  const found: Element[] = [];
  let hold: ReturnType<typeof startAutoBlock>;
  let box: HTMLElement;
  /** setAttribute as the browser has it (taken before auto-blocking starts). */
  const nativeSetAttribute = Reflect.get<Element, 'setAttribute'>(Element.prototype, 'setAttribute');
  /** Sets an attribute as the parser does, without the page's methods. */
  const parserSets = (el: Element, name: string, value: string) => {
    Reflect.apply(nativeSetAttribute, el, [name, value]);
  };
  /** An element of an inert document (DOMParser's), as the parser made it (a script goes into its head). */
  const parsed = (html: string): Element => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const el = doc.body.firstElementChild ?? doc.head.firstElementChild;
    if (!el) throw new Error(`nothing parsed from ${html}`);
    return el;
  };
  before(() => {
    hold = startAutoBlock(kit, ran, (el) => found.push(el));
  });
  beforeEach(() => {
    box = document.createElement('div');
    document.body.append(box);
  });
  afterEach(() => {
    box.remove();
  });

  it('does nothing without URL patterns', () => {
    const plain = createConsentKit({ cookie: { name: `ck-auto-block-plain-${Date.now()}` }, categories: [{ id: 'analytics' }] });
    expect(startAutoBlock(plain, new Set(), () => undefined)).to.equal(undefined);
  });

  it('holds a refused service\'s script put in with innerHTML, in the marked form', () => {
    box.innerHTML = '<script src="https://connect.facebook.net/en_US/fbevents.js"></script>';
    const script = box.querySelector('script');
    expect(script?.getAttribute('type')).to.equal('text/plain');
    expect(script?.getAttribute('data-src')).to.equal('https://connect.facebook.net/en_US/fbevents.js');
    expect(script?.getAttribute('data-service')).to.equal('meta');
    expect(script?.hasAttribute('src')).to.equal(false);
  });

  it('holds what insertAdjacentHTML puts at each position, in its place', () => {
    const anchor = document.createElement('p');
    box.append(anchor);
    const pixel = (n: number) => `<img alt="" src="https://connect.facebook.net/tr?n=${n}">`;
    anchor.insertAdjacentHTML('beforebegin', pixel(1));
    anchor.insertAdjacentHTML('AfterBegin' as InsertPosition, pixel(2));
    anchor.insertAdjacentHTML('beforeend', pixel(3));
    anchor.insertAdjacentHTML('afterend', pixel(4));
    const placed = [...box.querySelectorAll('img')].map(
      (img) => `${img.parentElement == anchor ? 'in' : 'beside'} ${img.getAttribute('data-src')?.split('=')[1]} ${img.getAttribute('data-service')} ${img.getAttribute('src')}`,
    );
    expect(placed).to.deep.equal(['beside 1 meta null', 'in 2 meta null', 'in 3 meta null', 'beside 4 meta null']);
    expect(box.querySelector('template')).to.equal(null);
    // A position insertAdjacentHTML does not know throws as it does.
    expect(() => {
      anchor.insertAdjacentHTML('nowhere' as InsertPosition, pixel(5));
    }).to.throw(DOMException, /nowhere|position|SyntaxError/i);
  });

  it('holds what a shadow root\'s innerHTML and an element\'s outerHTML put in, in its place', () => {
    const host = document.createElement('div');
    box.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<p>page</p><iframe title="page" src="https://connect.facebook.net/plugins/page.php"></iframe>';
    const iframe = root.querySelector('iframe');
    expect([root.querySelector('p')?.textContent, iframe?.getAttribute('src'), iframe?.getAttribute('data-src')]).to.deep.equal([
      'page',
      null,
      'https://connect.facebook.net/plugins/page.php',
    ]);
    const old = document.createElement('span');
    box.append(old);
    old.outerHTML = '<img alt="" src="https://connect.facebook.net/tr?n=9"><b>after</b>';
    expect([old.isConnected, ...[...box.children].map((e) => e.localName)]).to.deep.equal([false, 'div', 'img', 'b']);
    expect([box.querySelector('img')?.getAttribute('src'), box.querySelector('img')?.getAttribute('data-service')]).to.deep.equal([null, 'meta']);
    expect(box.querySelector('template')).to.equal(null);
    // The document's root element cannot be replaced: the page's call throws as it does.
    expect(() => {
      document.documentElement.outerHTML = '<img alt="" src="https://connect.facebook.net/tr?n=10">';
    }).to.throw(DOMException);
    // Markup that holds nothing is set as the page wrote it.
    root.innerHTML = '<i>plain</i>';
    expect(root.innerHTML).to.equal('<i>plain</i>');
  });

  it('tells of the held elements the observer is not told of: given an address in the page, or put in a shadow root', async () => {
    found.length = 0;
    const inPage = document.createElement('img');
    box.append(inPage);
    inPage.src = 'https://connect.facebook.net/tr?n=20';
    const detached = document.createElement('img');
    detached.src = 'https://connect.facebook.net/tr?n=21';
    const root = document.createElement('div').attachShadow({ mode: 'open' });
    box.append(root.host);
    root.innerHTML = '<img alt="" src="https://connect.facebook.net/tr?n=22">';
    // Once the call that held it has ended (the insertion too).
    expect(found).to.deep.equal([]);
    await Promise.resolve();
    expect(found.map((el) => `${el.getRootNode() == root ? 'shadow' : 'page'} ${el.getAttribute('data-src')?.split('=')[1]}`)).to.deep.equal(['page 20', 'shadow 22']);
  });

  it('holds a script a range inserts, parsed by createContextualFragment (a fragment, or an element of one)', () => {
    const range = document.createRange();
    range.selectNodeContents(box);
    range.insertNode(range.createContextualFragment('<script src="https://connect.facebook.net/en_US/fbevents.js"></script>'));
    range.insertNode(range.createContextualFragment('<p><script src="https://connect.facebook.net/en_US/sdk.js"></script></p>').firstChild as Node);
    expect([...box.querySelectorAll('script')].map((el) => `${el.getAttribute('type')} ${el.getAttribute('data-service')} ${el.getAttribute('src')}`)).to.deep.equal([
      'text/plain meta null',
      'text/plain meta null',
    ]);
  });

  it('holds an address given with setAttributeNS, and an element a range\'s surroundContents puts in', () => {
    const img = new Image();
    img.setAttributeNS(null, 'src', 'https://connect.facebook.net/tr?n=30');
    // Another namespace's `src` is no address.
    img.setAttributeNS('urn:other', 'x:src', 'https://connect.facebook.net/tr?n=31');
    expect([img.getAttribute('src'), img.getAttribute('data-src'), img.getAttributeNS('urn:other', 'src')]).to.deep.equal([
      null,
      'https://connect.facebook.net/tr?n=30',
      'https://connect.facebook.net/tr?n=31',
    ]);
    const frame = parsed('<iframe title="page" src="https://connect.facebook.net/plugins/page.php"></iframe>');
    box.append('inside');
    const range = document.createRange();
    range.selectNodeContents(box);
    range.surroundContents(frame);
    expect([frame.isConnected, frame.getAttribute('src'), frame.getAttribute('data-service')]).to.deep.equal([true, null, 'meta']);
  });

  it('holds a script put in beside a text node (before, after and replaceWith of a text node)', () => {
    for (const method of ['before', 'after', 'replaceWith'] as const) {
      const text = document.createTextNode('text');
      box.append(text);
      // From another document: the address is looked at when the script is inserted.
      const script = parsed('<script src="https://connect.facebook.net/en_US/fbevents.js"></script>');
      text[method](script);
      expect(script.isConnected, method).to.equal(true);
      expect(script.getAttribute('type'), method).to.equal('text/plain');
      expect(script.getAttribute('data-service'), method).to.equal('meta');
    }
  });

  it('leaves a script\'s code that names a blocked host as written', () => {
    const code = "var a = 1, b = 2; if (a<b) window.load('https://connect.facebook.net/en_US/fbevents.js');";
    const script = document.createElement('script');
    script.type = 'text/plain';
    script.innerHTML = code;
    expect(script.textContent).to.equal(code);
    box.innerHTML = `<p>Follow us on <a href="https://connect.facebook.net/shop">Facebook</a> & <b>more</b></p>`;
    expect(box.querySelectorAll('p a, p b').length).to.equal(2);
  });

  it('leaves addresses of other hosts, relative ones included, alone', () => {
    const img = new Image();
    img.src = '/img/1.gif';
    expect(img.getAttribute('src')).to.equal('/img/1.gif');
    hold?.(img);
    expect([img.getAttribute('src'), img.hasAttribute('data-category')]).to.deep.equal(['/img/1.gif', false]);
  });
  it('holds what it is given as the parser would insert it, each element once', () => {
    const img = parsed('<img alt="" src="https://connect.facebook.net/tr?id=1">');
    expect(img.hasAttribute('data-category')).to.equal(false);
    hold?.(img);
    expect([img.getAttribute('data-src'), img.hasAttribute('src')]).to.deep.equal(['https://connect.facebook.net/tr?id=1', false]);
    const other = parsed('<img alt="" src="/img/2.gif">');
    hold?.(other);
    parserSets(other, 'src', 'https://connect.facebook.net/tr?id=2');
    hold?.(other);
    expect(other.getAttribute('src')).to.equal('https://connect.facebook.net/tr?id=2');
  });
  it('holds a relative address when the page\'s base address is on a blocked host', () => {
    const base = document.createElement('base');
    base.href = 'https://connect.facebook.net/en_US/';
    document.head.append(base);
    try {
      const img = new Image();
      img.src = 'tr?id=1&ev=PageView';
      expect(img.getAttribute('data-src')).to.equal('tr?id=1&ev=PageView');
      expect(img.hasAttribute('src')).to.equal(false);
    } finally {
      base.remove();
    }
  });
  // The URL parser reads a host however it is spelled; so must the check (fail closed).
  const SPELLINGS = [
    ['percent-escapes', 'https://connect.facebook%2Enet/en_US/fbevents.js'],
    ['full-width letters', 'https://ｃｏｎｎｅｃｔ.facebook.net/en_US/fbevents.js'],
    ['a tab inside the host', 'https://connect.face\tbook.net/en_US/fbevents.js'],
    ['a character reference in HTML', '&#x63;onnect.facebook.net'],
  ] as const;
  for (const [how, address] of SPELLINGS)
    it(`holds a refused service's script whose host is spelled with ${how}`, () => {
      if (how == 'a character reference in HTML') {
        box.innerHTML = `<script src="https://${address}/en_US/fbevents.js"></script>`;
        expect(box.querySelector('script')?.getAttribute('data-service')).to.equal('meta');
        return;
      }
      const script = document.createElement('script');
      script.src = address;
      box.append(script);
      expect(script.getAttribute('type')).to.equal('text/plain');
      expect(script.getAttribute('data-service')).to.equal('meta');
      expect(script.hasAttribute('src')).to.equal(false);
    });
});
