/**
 * URL patterns: how a service names what it loads or calls, in the config
 * (`services[].urls`) and in the service catalog.
 *
 * A pattern is a host, optionally followed by a path: `www.googletagmanager.com/gtag/js`.
 * No scheme: the same service is the same on http and https. The host matches
 * itself and its subdomains (`google-analytics.com` matches
 * `region1.google-analytics.com`); a leading `*.` says the same. The path is a
 * prefix of the URL's path and query, in which `*` stands for any run of
 * characters. Port and fragment are ignored.
 */

/** Whether `url` is one that `pattern` names. */
export function matchesUrlPattern(pattern: string, url: URL): boolean {
  const slash = pattern.indexOf('/');
  const host = (slash < 0 ? pattern : pattern.slice(0, slash)).replace(/^\*\./, '').toLowerCase();
  if (!host || (url.hostname != host && !url.hostname.endsWith(`.${host}`))) return false;
  const target = url.pathname + url.search;
  // Each piece between the stars must follow the previous one; the first starts the path.
  let from = 0;
  for (const [i, piece] of (slash < 0 ? '/' : pattern.slice(slash)).split('*').entries()) {
    const at = i ? target.indexOf(piece, from) : target.startsWith(piece) ? 0 : -1;
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}
