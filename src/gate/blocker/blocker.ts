/**
 * The gate: finds elements marked with `data-category`, keeps them inert
 * until consent allows them, then activates each exactly once in page order.
 * A blocked iframe gets a placeholder from the embeds part (`consentkit-embeds.js`),
 * fetched only when there is one. Withdrawal deletes the listed cookies and
 * reloads once so running code stops.
 */
import { allows } from '../core/choice.js';
import { deleteCookies } from '../core/cookie-jar.js';
import type { ConsentKit } from '../core/consent-kit.js';
import { logError, logWarn } from '../core/log.js';
import { strictScripts } from '../core/trusted-types.js';
import { expressionOf, freshElement, parsed, settled } from './activate.js';
import { SELECTOR, startAutoBlock } from './auto-block.js';
import { cookiePatterns, positiveIds } from './rules.js';
import type { LoadPart } from '../parts.js';

interface Blocked {
  el: Element;
  expr: string;
  /** The placeholder standing in the blocked iframe's place (once the embeds part has arrived). */
  ph?: HTMLElement;
  /** Found in the page when the blocker started (written by the site, not added later by code). */
  initial: boolean;
}

/** A marked script whose code is in the page (no `src` or `data-src`). */
const inlineScript = (el: Element): boolean => el.localName == 'script' && !el.hasAttribute('src') && !el.hasAttribute('data-src');

/** Longest time (ms) one flush activates elements before it yields to the browser (a long task is one over 50 ms). */
const SLICE = 20;

const guard =
  <A extends unknown[]>(fn: (...a: A) => void) =>
  (...a: A): void => {
    try {
      fn(...a);
    } catch (e) {
      logError('blocker:', e);
    }
  };

/**
 * Starts gating the page for `kit` and sets `kit.rescan`; `load` fetches the
 * embeds part for the placeholders. Never throws.
 */
export function startBlocker(kit: ConsentKit, load: LoadPart): void {
  /** Ids whose code has run on this page (withdrawing one of them needs a reload). */
  const ran = new Set<string>();
  /**
   * Marks an element the parser inserts when a refused service's `urls` name its
   * address (auto-blocking), checking each element once; undefined when no service
   * lists patterns. With a broken config too: it then marks what it knows, and
   * nothing marked ever runs.
   */
  const hold = startAutoBlock(
    kit,
    ran,
    guard((el: Element) => {
      // A held element the observer is not told of: one in a shadow root (watched from now on),
      // or one given its address while already in the page. One it is told of too is blocked once.
      const root = el.getRootNode();
      if (root instanceof ShadowRoot) kit.rescan(root);
      else {
        scan(el);
        flush();
      }
    }),
  );
  if (!kit.ok && !hold) return;
  const { config } = kit;
  const seen = new WeakSet<Element>();
  /** Ids in markup that name no category or service (typos), each warned about once. */
  const unknown = new Set<string>();
  const pending: Blocked[] = [];
  let queue = Promise.resolve();
  /** Settles when every ordered external script activated so far has run (or failed). */
  let externals = Promise.resolve();
  let reloading = false;
  let started = false;
  /** A flush ran out of its slice: the rest waits for the task it left it to (not the observer's next call). */
  let resuming = false;

  const activate = (b: Blocked) => {
    const old = b.ph ?? b.el;
    if (!old.isConnected) return;
    if (strictScripts() && !b.initial && inlineScript(b.el))
      throw new Error(`inline marked script added after start-up refused: ${b.el.textContent.slice(0, 60)}`);
    // Before anything changes: a refused source leaves the element blocked where it is.
    const fresh = freshElement(b.el);
    for (const id of positiveIds(b.expr)) ran.add(id);
    const hadFocus = b.ph?.contains(document.activeElement);
    old.replaceWith(fresh);
    if (hadFocus) (fresh as HTMLElement).focus();
    const loaded = settled(fresh);
    if (loaded) externals = Promise.all([externals, loaded]).then(() => undefined);
  };
  /**
   * Activates `b` in page order. An external script goes in at once: it downloads
   * while earlier ones still load, and the browser runs it after them (inserted
   * scripts that are not `async` run in insertion order). Anything else runs after
   * the activations queued before it; an inline script also waits for the external
   * scripts before it, which already run in order, so it runs as soon as the last
   * of them has (in that one's load or error event, before the next external runs).
   */
  const enqueue = (b: Blocked) => {
    const i = pending.indexOf(b);
    if (i >= 0) pending.splice(i, 1);
    const inline = inlineScript(b.el);
    if (b.el.localName == 'script' && !inline) {
      guard(activate)(b);
      return;
    }
    // The external scripts before this one: not those activated while it waits.
    const before = inline ? externals : undefined;
    queue = queue
      .then(() => before)
      .then(() => {
        activate(b);
      })
      .catch((e: unknown) => {
        logError('blocker:', e);
      });
  };
  const flush = () => {
    if (resuming) return;
    const state = kit.getState();
    const end = performance.now() + SLICE;
    for (const b of pending.slice()) {
      // Inserting a script that starts a download takes milliseconds on a slow CPU: past
      // the slice, the rest goes on in a later task, still in page order.
      if (performance.now() > end) {
        resuming = true;
        setTimeout(
          guard(() => {
            resuming = false;
            flush();
          }),
        );
        return;
      }
      // A detached element (a framework may move it) stays pending until it is back;
      // one the parser is still writing (an inline script's text) until it is complete.
      if ((b.ph ?? b.el).isConnected && parsed(b.el) && allows(state, b.expr)) enqueue(b);
    }
  };

  /**
   * Puts a placeholder in the place of `b`, a blocked iframe, once the embeds
   * part has arrived. Fails closed: until then, and for good if it never
   * arrives, the iframe stays where it is with its source held back.
   */
  const standIn = (b: Blocked) => {
    load('embeds')
      .then((embeds) =>
        embeds.placeholderFor(
          kit,
          b.el,
          b.expr,
          guard(() => {
            enqueue(b);
          }),
        ),
      )
      .then(
        guard((ph: HTMLElement) => {
          // Activated while the part and its texts loaded (consent came first, it
          // left the pending list), or gone from the page: nothing to stand in for.
          if (!pending.includes(b) || !b.el.isConnected || allows(kit.getState(), b.expr)) return;
          b.ph = ph;
          b.el.replaceWith(ph);
        }),
      )
      .catch((e: unknown) => {
        logError('blocker: no placeholder for a blocked iframe, it stays blocked:', e);
      });
  };
  const block = (el: Element) => {
    if (seen.has(el)) return;
    const expr = expressionOf(el);
    if (expr == null) return;
    seen.add(el);
    // An unknown id (a typo) is never granted: the element stays blocked. Say so, once per id.
    const { categories, services } = kit.getState();
    for (const id of expr.split(/[\s,!]+/))
      if (id && typeof (categories[id] ?? services[id]) != 'boolean' && !unknown.has(id)) {
        unknown.add(id);
        logWarn(`unknown id "${id}" keeps <${el.localName} ${el.getAttribute('src') ?? el.getAttribute('data-src') ?? ''}> blocked`);
      }
    // Written by the site: in the page before it finished parsing (as the
    // DOMContentLoaded scan used to see it), or found by the first scan.
    const b: Blocked = { el, expr, initial: !started || document.readyState == 'loading' };
    pending.push(b);
    if (el.localName == 'iframe' && !allows(kit.getState(), expr)) standIn(b);
  };
  const scan = (root: ParentNode) => {
    // Fail closed: with a broken config nothing marked ever runs.
    if (!kit.ok) return;
    if (root instanceof Element) block(root);
    root.querySelectorAll('[data-category]').forEach(block);
  };

  /** The trees the observer watched until the page loaded: the document, and those given to `rescan`. */
  const roots = new Set<ParentNode>();
  /** Nodes the observer has been told of, one record each: about the size of the page so far. */
  let inserted = 0;
  const observer = new MutationObserver(
    guard((records: MutationRecord[]) => {
      inserted += records.length;
      const state = document.readyState;
      // Each element the parser inserts is held before the blocker sees it (and, for a script,
      // before it runs); code's insertions were held already. Until the page has loaded, one
      // search of each tree finds what a large batch added (the parser's last one comes after
      // it has finished): reading the records would make a JavaScript object of every node,
      // text too (8 ms at 1x for a page of 3,000 elements, against 0.5). A small batch (the
      // parser stops at each inline script) is read from its records, as is everything after
      // the load: searching the whole page again for a few nodes would cost more. Without
      // elements to hold, the search for marked ones is cheap enough for every call of the parse.
      if (state != 'complete' && (records.length * 16 > inserted || (state == 'loading' && !hold)))
        roots.forEach((root) => {
          if (hold) root.querySelectorAll(SELECTOR).forEach(hold);
          scan(root);
        });
      else
        for (const r of records)
          for (const n of r.addedNodes)
            if (n instanceof Element) {
              hold?.(n);
              scan(n);
            }
      flush();
    }),
  );
  const watch = (root: ParentNode) => {
    // Kept only until the page has loaded: an app that calls `rescan` on each render keeps nothing here.
    if (document.readyState != 'complete') roots.add(root);
    observer.observe(root, { childList: true, subtree: true });
  };

  // From the start, not at DOMContentLoaded: granted elements run as the parser
  // reaches them, as early as they would without a consent tool.
  guard(() => {
    scan(document);
    started = true;
    watch(document);
  })();
  // What is granted so far runs in a task of its own, not in the gate's evaluation,
  // which is a long task on a slow CPU already (a deferred gate finds every element).
  setTimeout(guard(flush));
  // The last element of the page has no node after it until the parser is done.
  if (document.readyState == 'loading') document.addEventListener('DOMContentLoaded', guard(flush));

  kit.rescan = guard((root: ParentNode = document) => {
    scan(root);
    if (root != document && root instanceof Node) watch(root);
    if (started) flush();
  });

  kit.onChange(
    guard(({ revoked }) => {
      flush();
      if (!revoked.length) return;
      deleteCookies(cookiePatterns(config, revoked), config.cookie);
      if (config.reloadOnWithdraw && !reloading && revoked.some((id) => ran.has(id))) {
        reloading = true;
        // Deferred so the other change and decision listeners (records, tag managers) run first.
        setTimeout(() => {
          location.reload();
        });
      }
    }),
  );
}
