/**
 * Random ids that work in every context a page can run in: `crypto.randomUUID`
 * (and `crypto.subtle`) exist only in secure contexts, so a site on plain http
 * outside localhost (an intranet, a phone on the local network) would have none.
 * `crypto.getRandomValues` is there everywhere.
 */

/**
 * A random UUID v4 (RFC 9562) from `crypto.getRandomValues`: each 0, 1 or 8 of
 * the template becomes a random hex digit, keeping the version (4) and variant
 * (8 to b) bits: `c ^ random & (15 >> c / 4)`.
 */
export const uuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+c / 4)))).toString(16),
  );
