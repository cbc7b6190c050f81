/**
 * Random ids that work in every context a page can run in: `crypto.randomUUID`
 * (and `crypto.subtle`) exist only in secure contexts, so a site on plain http
 * outside localhost (an intranet, a phone on the local network) would have none.
 * `crypto.getRandomValues` is there everywhere.
 */

/** A random UUID version 4 (RFC 9562, section 5.4) from `crypto.getRandomValues`. */
export function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // The version (4) in the high nibble of byte 6, the variant (binary 10) in the top bits of byte 8.
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
