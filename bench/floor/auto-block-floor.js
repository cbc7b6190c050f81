// The floor of auto-blocking's bytes: the least code that blocks every path the shipped
// module (src/gate/blocker/auto-block.ts) blocks, written to stand in its place in the
// gate's build (`npm run bench:auto-block -- --size` bundles it there, as compiled
// JavaScript beside dist/esm/gate/blocker/, and prints what it adds to the gate).
//
// It keeps the contract with the blocker (an element is held by turning it into the
// marked form the blocker activates on consent, in order, once), the pattern syntax, and
// every interception: the parser's elements, the address setters, setAttribute and
// setAttributeNS, every insertion method (a range's surroundContents too), innerHTML and
// setHTMLUnsafe (of an element and of a shadow root), outerHTML, insertAdjacentHTML, a
// range's createContextualFragment, document.write, fetch, sendBeacon and XMLHttpRequest, and
// it tells the blocker of what it holds in the page. It leaves out everything the shipped module has for speed: no look for the patterns' hosts before an
// address is parsed (every address is parsed, every innerHTML parsed twice), no record of
// the elements already checked. `CONSENTKIT_DIST=<dir> npx playwright test
// test/e2e/auto-block.test.ts` runs the page tests against a build with it
// (`--floor-dist <dir>` writes one); they pass.
//
// The part between `beyond the list` and `end of the list` blocks the paths issue
// 16 does not name (it names appendChild, insertBefore, append, innerHTML and setting an
// address): the bench also prints the floor without it.
import { trustedHtml } from '../core/trusted-types.js';
import { STATE_ATTRIBUTE } from './activate.js';
import { urlPatternRegExp, urlTarget } from './url-pattern.js';

const SOURCES = { script: 'src', iframe: 'src', img: 'src', link: 'href' };
export const SELECTOR = 'script,iframe,img,link';

/** Replaces the method or setter `name` of `target`: `stops` first; when it returns a truthy value, `refusal`. */
function patch(target, name, stops, refusal) {
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  if (!descriptor) return;
  const kind = descriptor.set ? 'set' : 'value';
  const original = descriptor[kind];
  Object.defineProperty(target, name, {
    ...descriptor,
    [kind](...args) {
      return stops.call(this, args) ? refusal?.() : original.apply(this, args);
    },
  });
}

export function startAutoBlock(kit, ran, found) {
  const patterns = [];
  for (const category of kit.config.categories)
    if (!category.required)
      for (const service of category.services ?? [])
        for (const pattern of service.urls ?? []) patterns.push([`${category.id} ${service.id}`, urlPatternRegExp(pattern)]);
  if (!patterns.length) return;

  /** The expression that must allow `address` while its service is refused. */
  const refused = (address) => {
    try {
      const target = urlTarget(new URL(String(address instanceof Request ? address.url : address), document.baseURI));
      const expr = patterns.find(([, pattern]) => pattern.test(target))?.[0];
      if (!expr || !kit.isGranted(expr)) return expr;
      for (const id of expr.split(' ')) ran.add(id);
    } catch {
      // No address: nothing to refuse.
    }
  };
  const hold = (el, value) => {
    const attr = SOURCES[el.localName];
    const url = attr && (value ?? el.getAttribute(attr));
    const expr = url && !el.hasAttribute('data-category') && !el.hasAttribute(STATE_ATTRIBUTE) && refused(url);
    if (!expr) return false;
    const [category, service] = expr.split(' ');
    el.setAttribute('data-category', category);
    el.setAttribute('data-service', service);
    el.setAttribute(`data-${attr}`, url);
    el.removeAttribute(attr);
    if (el.localName == 'script') {
      el.setAttribute('data-type', el.getAttribute('type') ?? '');
      el.setAttribute('type', 'text/plain');
      el.removeAttribute('async');
    }
    queueMicrotask(() => el.isConnected && found(el));
    return true;
  };
  const holdTree = (node) => {
    let held = false;
    if (node instanceof Element || node instanceof DocumentFragment) {
      held = hold(node);
      for (const el of node.querySelectorAll(SELECTOR)) held = hold(el) || held;
    }
    return held;
  };
  const parseHeld = (html) => {
    const template = document.createElement('template');
    template.innerHTML = html;
    if (holdTree(template.content)) return template;
  };
  const insertHeld = (into, html, put) => {
    const template = !(into instanceof HTMLTemplateElement) && parseHeld(html);
    if (!template) return false;
    put(template);
    template.replaceWith(template.content);
    return true;
  };

  for (const [tag, attr] of Object.entries(SOURCES))
    patch(Object.getPrototypeOf(document.createElement(tag)), attr, function ([value]) {
      return hold(this, value);
    });
  const insertions = [[Node.prototype, ['appendChild', 'insertBefore']], [Element.prototype, ['append']]];
  const innerHtmlOwners = [Element.prototype];
  const innerHtmlNames = ['innerHTML'];
  // beyond the list
  patch(Element.prototype, 'setAttribute', function ([name, value]) {
    return String(name).toLowerCase() == SOURCES[this.localName] && hold(this, value);
  });
  patch(Element.prototype, 'setAttributeNS', function ([namespace, name, value]) {
    return namespace == null && name == SOURCES[this.localName] && hold(this, value);
  });
  insertions.push(
    [Node.prototype, ['replaceChild']],
    [Element.prototype, ['prepend', 'before', 'after', 'replaceWith', 'replaceChildren', 'insertAdjacentElement']],
    [CharacterData.prototype, ['before', 'after', 'replaceWith']],
    [Range.prototype, ['insertNode', 'surroundContents']],
  );
  innerHtmlOwners.push(ShadowRoot.prototype);
  innerHtmlNames.push('setHTMLUnsafe');
  patch(Range.prototype, 'createContextualFragment', (args) => {
    const template = parseHeld(args[0]);
    if (template) args[0] = trustedHtml(template.innerHTML);
  });
  patch(Element.prototype, 'outerHTML', function ([html]) {
    const parent = this.parentNode;
    return !(parent instanceof Document) && insertHeld(parent, html, (template) => this.replaceWith(template));
  });
  patch(Element.prototype, 'insertAdjacentHTML', function ([position, html]) {
    return insertHeld(this, html, (template) => this.insertAdjacentElement(position, template));
  });
  for (const name of ['write', 'writeln'])
    patch(Document.prototype, name, (args) => {
      const template = parseHeld(args.length == 1 ? args[0] : args.join(''));
      if (template) args.splice(0, args.length, trustedHtml(template.innerHTML));
    });
  // end of the list
  for (const [proto, names] of insertions)
    for (const name of names)
      patch(proto, name, (args) => {
        args.forEach(holdTree);
      });
  for (const proto of innerHtmlOwners)
    for (const name of innerHtmlNames)
      patch(proto, name, function ([html]) {
        return insertHeld(this, html, (template) => this.replaceChildren(template));
      });
  patch(window, 'fetch', ([address]) => refused(address), () => Promise.reject(new TypeError('consentkit: no consent')));
  patch(Navigator.prototype, 'sendBeacon', ([address]) => refused(address), () => false);
  patch(XMLHttpRequest.prototype, 'open', (args) => {
    if (refused(args[1])) args[1] = 'data:';
  });
  return (el) => hold(el);
}
