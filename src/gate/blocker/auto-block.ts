/**
 * Auto-blocking: what a service with `urls` in the config loads or calls is
 * held until the service is granted, with no markup on the page. Installed
 * only when some service lists patterns; without any it adds no observer and
 * patches nothing.
 *
 * An element is held by turning it into the marked form the blocker already
 * handles (`data-category`, `data-service`, `data-src`/`data-href`, a
 * `text/plain` script), so the blocker activates it on consent, in the order
 * elements were found, once: marked and held elements share one queue and one
 * activation. Elements are caught before the browser fetches anything when
 * code creates them (their `src`/`href` setters, `setAttribute` and `setAttributeNS`, every
 * insertion method, `innerHTML` and `setHTMLUnsafe` (of an element or a shadow root),
 * `outerHTML`, `insertAdjacentHTML`, a range's `createContextualFragment` and
 * `document.write`), and, when the
 * parser inserts them, by the blocker's observer, which calls `hold` on each
 * element it is told of (scripts there are caught before they run).
 *
 * Requests that bypass elements are refused, never held: `fetch` rejects as on
 * a network error, `sendBeacon` returns false, an `XMLHttpRequest` fails as on
 * a network error. Holding them would keep page code waiting for an answer
 * that may never come, and send data gathered before consent later.
 */
import type { ConsentKit } from '../core/consent-kit.js';
import { trustedHtml } from '../core/trusted-types.js';
import { STATE_ATTRIBUTE } from './activate.js';
import { patternHost, urlPatternRegExp, urlTarget } from './url-pattern.js';

/** The attribute that holds the address of each element auto-blocking handles. */
const SOURCES: Record<string, string | undefined> = { script: 'src', iframe: 'src', img: 'src', link: 'href' };
/** The elements auto-blocking handles (those `SOURCES` names). */
export const SELECTOR = 'script, iframe, img, link';
/** Methods that put nodes into a tree, by the prototype that has them. */
const INSERTIONS: [object, string[]][] = [
  [Node.prototype, ['appendChild', 'insertBefore', 'replaceChild']],
  [Element.prototype, ['append', 'prepend', 'before', 'after', 'replaceWith', 'replaceChildren', 'insertAdjacentElement']],
  // A text node or a comment puts nodes beside itself too.
  [CharacterData.prototype, ['before', 'after', 'replaceWith']],
  [Range.prototype, ['insertNode', 'surroundContents']],
];
type Original = (...args: unknown[]) => unknown;

/**
 * Replaces the method (or, for an accessor, the setter) `name` of `target`.
 * Each call goes first to `stops`, with the same `this` and the arguments: when
 * it returns a truthy value the call ends there and returns what `refusal`
 * gives (undefined without it); otherwise the original runs.
 */
function patch(target: object, name: string, stops: (this: never, args: unknown[]) => unknown, refusal?: () => unknown): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  // A browser without the method has nothing to hold there: adding one would fool feature checks.
  if (!descriptor) return;
  const kind = descriptor.set ? 'set' : 'value';
  const original = Reflect.get(descriptor, kind) as Original;
  Object.defineProperty(target, name, {
    ...descriptor,
    [kind](this: never, ...args: unknown[]) {
      return stops.call(this, args) ? refusal?.() : original.apply(this, args);
    },
  });
}

/** What a parser reads as other letters: `%` escapes, `&` references, dropped tabs and line breaks, mapped non-ASCII. */
const OTHER_SPELLING = /[%&\t\n\r\u0080-\uffff]/;

/**
 * Starts auto-blocking the services of `kit.config` that list `urls`. Adds the
 * ids of granted services whose code loads to `ran` (a withdrawal then reloads).
 * Calls `found` with each element it holds that is in the page once the call that
 * gave its address has ended (its address set while it was in the page, or it was
 * put into a shadow root): the blocker's observer is not told of those.
 * Returns what the blocker calls on each element the parser inserts (`hold`,
 * once per element however often it is called); undefined, having done
 * nothing, when no service lists patterns.
 */
export function startAutoBlock(kit: ConsentKit, ran: Set<string>, found: (el: Element) => void): ((el: Element) => void) | undefined {
  /** Per pattern: the expression (`category service`) of its service and its regular expression. */
  const patterns: [string, RegExp][] = [];
  /** The patterns' hosts, as regular expressions (a host is letters, digits, `-` and dots). */
  const hosts: string[] = [];
  // A required category's services are never refused (whatever a stored choice says of them).
  for (const category of kit.config.categories)
    for (const { id, urls = [] } of category.services ?? [])
      if (!category.required)
        for (const p of urls) {
          patterns.push([`${category.id} ${id}`, urlPatternRegExp(p)]);
          hosts.push(patternHost(p).replaceAll('.', '\\.'));
        }
  if (!patterns.length) return;
  /** One test for every host: each address of the page goes through it. */
  const anyHost = new RegExp(hosts.join('|'));
  /** Whether `lower` (in lower case) mentions one of the patterns' hosts as written. */
  const namesHost = (lower: string) => anyHost.test(lower);
  /**
   * Whether `text` may name one of the hosts: it mentions one as written, or it holds what
   * the URL or HTML parser would turn into other letters (percent-escapes, character
   * references, tabs and line breaks, which are dropped, and non-ASCII letters, which are
   * mapped), so it is checked the slow way. A look in the text; no URL parsed.
   */
  const mentions = (text: string) => {
    const lower = text.toLowerCase();
    return OTHER_SPELLING.test(lower) || namesHost(lower);
  };

  /**
   * The expression (`category service`) that must allow `address` while its
   * service is refused; undefined when `address` is no service's or the service is granted.
   */
  const refused = (address: unknown): string | undefined => {
    const text = String(address instanceof Request ? address.url : address);
    // Most addresses mention none of the hosts: no URL to parse. A relative one is on the host
    // of the page's base address, which is a parsed URL (its host in lower case, spelled as the
    // patterns spell it): the `%` and `&` of its path and query do not send every address the slow way.
    if (!mentions(text) && !namesHost(document.baseURI)) return;
    let url: URL;
    try {
      url = new URL(text, document.baseURI);
    } catch {
      return;
    }
    const [expr] = patterns.find(([, pattern]) => pattern.test(urlTarget(url))) ?? [];
    if (!expr || !kit.isGranted(expr)) return expr;
    for (const id of expr.split(' ')) ran.add(id);
  };

  /**
   * Turns `el` into the blocker's marked form when its address (`value`, else
   * its attribute) is a refused service's. Elements the site marked, and those
   * the blocker activated, are left alone. Returns whether `el` is held.
   */
  const hold = (el: Element, value?: string): boolean => {
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
      // The blocker restores a non-empty data-type (a module) on activation.
      el.setAttribute('data-type', el.getAttribute('type') ?? '');
      el.setAttribute('type', 'text/plain');
      // Snippets mark the scripts they add `async`: held ones run on consent in the order
      // they appeared instead, as the blocker runs scripts without the attribute.
      el.removeAttribute('async');
    }
    queueMicrotask(() => {
      if (el.isConnected) found(el);
    });
    return true;
  };
  /** `hold` for `node` (when an element) and every element inside it; returns how many it held. */
  const holdTree = (node: unknown): number => {
    let held = 0;
    if (node instanceof Element || node instanceof DocumentFragment) {
      // A fragment has no localName: hold passes it over.
      if (hold(node as Element)) held++;
      if (node.firstElementChild) for (const el of node.querySelectorAll(SELECTOR)) if (hold(el)) held++;
    }
    return held;
  };

  // Elements code creates: held when given an address, or when inserted.
  for (const [tag, attr] of Object.entries(SOURCES))
    patch(Object.getPrototypeOf(document.createElement(tag)) as object, attr ?? '', function (this: Element, [value]) {
      // A TrustedScriptURL (or a URL object) stands for its address, as it does for the setter.
      return hold(this, value as string);
    });
  patch(Element.prototype, 'setAttribute', function (this: Element, [name, value]) {
    const attr = SOURCES[this.localName];
    return attr && String(name).toLowerCase() == attr && hold(this, value as string);
  });
  // The address is the attribute of no namespace, named exactly so (setAttributeNS keeps the case).
  patch(Element.prototype, 'setAttributeNS', function (this: Element, [namespace, name, value]) {
    const attr = SOURCES[this.localName];
    return attr && namespace == null && name == attr && hold(this, value as string);
  });
  for (const [proto, names] of INSERTIONS)
    for (const name of names)
      patch(proto, name, (args) => {
        args.forEach(holdTree);
      });

  /**
   * Parses `html` (the page's own value: a TrustedHTML under Trusted Types, which the
   * browser checks here as it would for the page's call) in an inert template, where nothing
   * loads, when it mentions a blocked host. Returns the template when that holds something,
   * else undefined: the page's own call then runs as it is (a script's code that names a
   * host, say). A template's innerHTML is the original's (see below).
   */
  const parseHeld = (html: unknown): HTMLTemplateElement | undefined => {
    if (!mentions(String(html))) return;
    const template = document.createElement('template');
    template.innerHTML = html as string;
    if (holdTree(template.content)) return template;
  };
  /**
   * Puts what `parseHeld` held from `html` where the HTML goes: the template with `put`,
   * then the result in its place. Returns false, having done nothing, when nothing is held
   * or `into`, where the HTML goes, is a template (what it holds is caught when it is inserted).
   */
  const insertHeld = (into: ParentNode | null, html: unknown, put: (template: HTMLTemplateElement) => unknown): boolean => {
    const template = !(into instanceof HTMLTemplateElement) && parseHeld(html);
    if (!template) return false;
    put(template);
    template.replaceWith(template.content);
    return true;
  };
  // A shadow root's innerHTML is its own. setHTMLUnsafe parses as innerHTML does when it holds
  // something (declarative shadow roots in that markup then stay templates: fail closed).
  for (const proto of [Element.prototype, ShadowRoot.prototype])
    for (const name of ['innerHTML', 'setHTMLUnsafe'])
      patch(proto, name, function (this: Element | ShadowRoot, [html]) {
        return insertHeld(this, html, (template) => {
          this.replaceChildren(template);
        });
      });
  patch(Element.prototype, 'outerHTML', function (this: Element, [html]) {
    const parent = this.parentNode;
    // The document's root element cannot be replaced: the page's own call throws as it does.
    return (
      !(parent instanceof Document) &&
      insertHeld(parent, html, (template) => {
        this.replaceWith(template);
      })
    );
  });
  // insertAdjacentElement checks the position as insertAdjacentHTML does.
  patch(Element.prototype, 'insertAdjacentHTML', function (this: Element, [position, html]) {
    return insertHeld(this, html, (template) => this.insertAdjacentElement(position as InsertPosition, template));
  });

  // What a snippet writes with document.write is parsed as the page's HTML, and a script
  // written so runs before the observer is told of it: markup that holds something is
  // written in its held form instead.
  for (const name of ['write', 'writeln'])
    patch(Document.prototype, name, (args) => {
      // Several values are joined (under Trusted Types the browser then refuses them, as a
      // plain string); consentkit's policy vouches only for the held form of what it accepted.
      const template = parseHeld(args.length == 1 ? args[0] : args.join(''));
      if (template) args.splice(0, args.length, trustedHtml(template.innerHTML));
    });

  // A range's fragment loads its images as it is parsed, before anything inserts it: markup that
  // holds something is parsed in its held form instead (its other scripts still run when inserted).
  patch(Range.prototype, 'createContextualFragment', (args) => {
    const template = parseHeld(args[0]);
    if (template) args[0] = trustedHtml(template.innerHTML);
  });

  // Requests without an element: refused while the service is.
  patch(window, 'fetch', ([address]) => refused(address), () => Promise.reject(new TypeError('consentkit: no consent')));
  patch(Navigator.prototype, 'sendBeacon', ([address]) => refused(address), () => false);
  // An XMLHttpRequest to a refused service is opened to an empty `data:` address instead, which
  // fails as a network error does (`error`, then `loadend`; status 0) without a request.
  patch(XMLHttpRequest.prototype, 'open', (args) => {
    if (refused(args[1])) args[1] = 'data:';
  });
  /** Elements the parser inserted that have been checked: a search of the page finds them again. */
  const checked = new WeakSet<Element>();
  return (el) => {
    if (!checked.has(el)) {
      checked.add(el);
      hold(el);
    }
  };
}
