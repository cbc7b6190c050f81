/**
 * Turning a blocked element into a live one. A `text/plain` script that the
 * parser has seen never runs, even if its type changes later, so activation
 * always builds a fresh element from the blocked one's attributes.
 */
import { trustedScript, trustedScriptUrl } from '../core/trusted-types.js';

/** Attributes that only exist to block an element; never copied to the live one. */
export const BLOCKING_ATTRIBUTES = ['type', 'data-category', 'data-service', 'data-src', 'data-href', 'data-type'];

/** Set on the live element that replaced a blocked one (`data-consentkit="activated"`). */
export const STATE_ATTRIBUTE = 'data-consentkit';

/**
 * The consent expression of a marked element (`data-category` and
 * `data-service` together: both must allow), or null when the element is not
 * one the blocker handles: a script must be `type="text/plain"`; any other
 * element needs a `data-src` or `data-href` to hold back.
 */
export function expressionOf(el: Element): string | null {
  const category = el.getAttribute('data-category');
  if (category == null) return null;
  const gated =
    el.localName == 'script'
      ? el.getAttribute('type')?.trim().toLowerCase() == 'text/plain'
      : el.hasAttribute('data-src') || el.hasAttribute('data-href');
  if (!gated) return null;
  return `${category} ${el.getAttribute('data-service') ?? ''}`.trim();
}

/**
 * The one place a script gets its code, through consentkit's Trusted Types
 * policy. Throws (naming the URL) when `src` is not in `trustedScriptUrls`.
 */
export function setScriptSource(script: HTMLScriptElement, src: string | null, text: string): void {
  if (src != null) script.src = trustedScriptUrl(src);
  else script.text = trustedScript(text);
}

/**
 * A live copy of a blocked element: every attribute but the blocking ones, the
 * nonce, the real source. Throws when a script's source is refused.
 */
export function freshElement(el: Element): Element {
  const fresh = document.createElement(el.localName);
  const script = fresh instanceof HTMLScriptElement;
  for (const { name, value } of el.attributes)
    // A script's src is a Trusted Types sink: it only goes in through setScriptSource.
    if (!BLOCKING_ATTRIBUTES.includes(name) && !(script && name == 'src')) fresh.setAttribute(name, value);
  fresh.setAttribute(STATE_ATTRIBUTE, 'activated');
  // Browsers hide the nonce attribute (it reads as ""); only the property has it.
  const nonce = (el as HTMLElement).nonce;
  if (nonce) fresh.nonce = nonce;
  const dataSrc = el.getAttribute('data-src');
  if (script) {
    const type = el.getAttribute('data-type');
    if (type) fresh.type = type;
    // Inserted scripts are async by default. Without `async` on the marked one,
    // external scripts download in parallel and still run in insertion order
    // (the browser's ordered list); inline ones wait for them in the blocker.
    if (!el.hasAttribute('async')) fresh.async = false;
    setScriptSource(fresh, dataSrc ?? el.getAttribute('src'), el.textContent);
  } else {
    if (dataSrc != null) fresh.setAttribute('src', dataSrc);
    const href = el.getAttribute('data-href');
    if (href != null) fresh.setAttribute('href', href);
  }
  return fresh;
}

/** Longest wait for an external script before the next one runs anyway. */
export const LOAD_TIMEOUT = 10000;

/** An external script the browser runs in insertion order (not `async`): later inline scripts wait for it. */
export const ordered = (el: Element): el is HTMLScriptElement =>
  el instanceof HTMLScriptElement && !!el.src && !el.hasAttribute('async');

/** Whether the parser is done with `el`: the page has loaded, or a node follows it (an inline script's text is complete). */
export function parsed(el: Node): boolean {
  if (document.readyState != 'loading') return true;
  for (let node: Node | null = el; node; node = node.parentNode) if (node.nextSibling) return true;
  return false;
}

/**
 * Resolves when `el` has loaded or failed (or timed out) if it is an external
 * script run in order; undefined when there is nothing to wait for.
 */
export function settled(el: Element, timeout = LOAD_TIMEOUT): Promise<void> | undefined {
  if (!ordered(el)) return;
  return new Promise((resolve) => {
    const done = () => {
      resolve();
    };
    el.addEventListener('load', done);
    el.addEventListener('error', done);
    setTimeout(done, timeout);
  });
}
