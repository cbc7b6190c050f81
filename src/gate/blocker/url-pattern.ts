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

/** Escapes `text` for a regular expression, except `*`, which stands for any run of characters. */
const wildcard = (text: string): string => text.replace(/[.?+^$()[\]{}|\\]/g, '\\$&').replaceAll('*', '.*');

/** The host `pattern` names, in lower case and without a leading `*.`. */
export const patternHost = (pattern: string): string => pattern.split('/')[0].replace(/^\*\./, '').toLowerCase();

/**
 * The regular expression of `pattern`, tested against a URL's host name, path
 * and query run together (`www.example.com/path?query`, as `urlTarget` gives them).
 */
export const urlPatternRegExp = (pattern: string): RegExp =>
  // The host itself or a subdomain, then the path prefix (`/` when the pattern has none).
  new RegExp(`^([^/]*\\.)?${wildcard(patternHost(pattern) + (pattern.replace(/^[^/]*/, '') || '/'))}`);

/** What a pattern's regular expression is tested against: host name, path and query. */
export const urlTarget = (url: URL): string => url.hostname + url.pathname + url.search;

/** Whether `url` is one that `pattern` names. */
export const matchesUrlPattern = (pattern: string, url: URL): boolean => urlPatternRegExp(pattern).test(urlTarget(url));
