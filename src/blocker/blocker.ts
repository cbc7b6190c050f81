/**
 * The gate: finds elements marked with `data-category`, keeps them inert
 * until consent allows them, then activates each exactly once in page order.
 * Withdrawal deletes the listed cookies and reloads once so running code stops.
 */
import { allows } from '../core/choice.js';
import { deleteCookies } from '../core/cookie-jar.js';
import type { ConsentKit } from '../core/consent-kit.js';
import { logError } from '../core/log.js';
import { strictScripts } from '../core/trusted-types.js';
import { expressionOf, freshElement, parsed, settled } from './activate.js';
import { createPlaceholder, placeholderTexts } from './placeholder.js';
import { categoryOf, cookiePatterns, grantsFor, labelOf, positiveIds } from './rules.js';

interface Blocked {
  el: Element;
  expr: string;
  /** The placeholder standing in the blocked iframe's place. */
  ph?: HTMLElement;
  /** Found in the page when the blocker started (written by the site, not added later by code). */
  initial: boolean;
}

const guard =
  <A extends unknown[]>(fn: (...a: A) => void) =>
  (...a: A): void => {
    try {
      fn(...a);
    } catch (e) {
      logError('blocker:', e);
    }
  };

/** Starts gating the page for `kit` and sets `kit.rescan`. Never throws. */
export function startBlocker(kit: ConsentKit): void {
  // Fail closed: with a broken config nothing marked ever runs.
  if (!kit.ok) return;
  const { config } = kit;
  const seen = new WeakSet<Element>();
  const pending: Blocked[] = [];
  /** Ids whose code has run on this page (withdrawing one of them needs a reload). */
  const ran = new Set<string>();
  let queue = Promise.resolve();
  /** Settles when every ordered external script activated so far has run (or failed). */
  let externals = Promise.resolve();
  let reloading = false;
  let started = false;

  const activate = (b: Blocked) => {
    const old = b.ph ?? b.el;
    if (!old.isConnected) return;
    if (strictScripts() && !b.initial && b.el.localName == 'script' && !b.el.hasAttribute('src') && !b.el.hasAttribute('data-src'))
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
   * Runs `b` after every activation queued before it, so page order holds. External
   * scripts download in parallel (the browser runs them in order); an inline script
   * waits until those before it have run.
   */
  const enqueue = (b: Blocked) => {
    const i = pending.indexOf(b);
    if (i >= 0) pending.splice(i, 1);
    const inline = b.el.localName == 'script' && !b.el.hasAttribute('src') && !b.el.hasAttribute('data-src');
    queue = queue
      .then(() => (inline ? externals : undefined))
      .then(() => {
        activate(b);
      })
      .catch((e: unknown) => {
        logError('blocker:', e);
      });
  };
  const flush = () => {
    const state = kit.getState();
    // A detached element (a framework may move it) stays pending until it is back;
    // one the parser is still writing (an inline script's text) until it is complete.
    for (const b of pending.slice()) if ((b.ph ?? b.el).isConnected && parsed(b.el) && allows(state, b.expr)) enqueue(b);
  };

  const lang = config.language ?? (document.documentElement.lang || navigator.language || 'en');
  const texts = placeholderTexts(config, lang);
  const block = (el: Element) => {
    const expr = expressionOf(el);
    if (expr == null || seen.has(el)) return;
    seen.add(el);
    // Written by the site: in the page before it finished parsing (as the
    // DOMContentLoaded scan used to see it), or found by the first scan.
    const b: Blocked = { el, expr, initial: !started || document.readyState == 'loading' };
    pending.push(b);
    if (el.localName == 'iframe' && !allows(kit.getState(), expr)) {
      const first = positiveIds(expr).find((id) => !kit.isGranted(id));
      const cat = first && categoryOf(config, first);
      b.ph = createPlaceholder(
        el,
        texts,
        cat ? labelOf(cat) : null,
        guard(() => {
          enqueue(b);
        }),
        guard(() => {
          kit.set(grantsFor(config, kit.getState(), expr), 'placeholder');
        }),
      );
      el.replaceWith(b.ph);
    }
  };
  const scan = (root: ParentNode) => {
    if (root instanceof Element) block(root);
    root.querySelectorAll('[data-category]').forEach(block);
  };

  const observer = new MutationObserver(
    guard((records: MutationRecord[]) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) scan(n);
      flush();
    }),
  );
  const watch = (root: Node) => {
    observer.observe(root, { childList: true, subtree: true });
  };

  // From the start, not at DOMContentLoaded: granted elements run as the parser
  // reaches them, as early as they would without a consent tool.
  guard(() => {
    scan(document);
    started = true;
    flush();
    watch(document);
  })();
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
