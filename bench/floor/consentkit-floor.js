// The floor of `npm run bench`: the least any consent tag of consentkit's design can
// cost a returning visitor. It is one external script, synchronous and first in
// <head>; it reads the stored choice from its cookie (a tag must, to know what it may
// run), and the marked scripts stay inert until it turns them into real ones, in page
// order. Nothing else: no config, no decoding, no API, no check of a category; with a
// stored choice every marked script runs, as for a visitor who accepted everything.
// It even does less than a correct tag: an inline script runs as soon as it is inserted,
// without waiting for the external scripts before it (consentkit waits, as page order
// requires), so a tag that keeps page order can only take longer than this page.
// What consentkit's returning visit takes beyond this page is the tag's own cost;
// what this page takes beyond the control page is the design's.

/** Whether the visitor has decided: the choice's cookie is there. */
const decided = document.cookie.split('; ').some((cookie) => cookie.startsWith('consentkit='));

/** Marked scripts found, in page order, not yet turned into real ones. */
const pending = [];

/**
 * Turns the pending scripts into real ones, in order. The parser may still be writing an
 * inline script's text when the observer is told of it: a script is complete once the
 * parser has put something after it, or has finished (`parsed`).
 */
const activate = (parsed) => {
  while (pending.length && (parsed || pending[0].nextSibling)) {
    const marked = pending.shift();
    const script = document.createElement('script');
    if (marked.hasAttribute('src')) script.src = marked.getAttribute('src');
    else script.text = marked.text;
    // Scripts that code inserts run as soon as they load; external ones without `async`
    // run in the order they were inserted.
    script.async = false;
    marked.replaceWith(script);
  }
};

if (decided) {
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) if (node.localName == 'script' && node.type == 'text/plain') pending.push(node);
    activate(false);
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => activate(true));
}
