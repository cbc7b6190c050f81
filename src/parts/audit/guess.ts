/**
 * Which category an unmarked thing probably belongs to, from a small table of
 * well-known trackers and embeds. A guess to help the site owner, never used
 * to grant or block anything. Pure: no DOM.
 */

/** A category id, or `unknown` when neither the config nor the table can tell. */
export type Guess = string;

/** Hosts (or URL fragments of first-party proxies) by category. */
const URLS: [RegExp, string][] = [
  [
    /google-analytics\.com|googletagmanager\.com|analytics\.google\.com|hotjar\.(com|io)|clarity\.ms|plausible\.io|matomo|piwik|segment\.(io|com)|mixpanel\.com|amplitude\.com|heapanalytics|fullstory|mouseflow|stats\.wp\.com/,
    'analytics',
  ],
  [
    /doubleclick\.net|connect\.facebook\.net|facebook\.com\/tr|googlesyndication|googleadservices|adservice\.google|ads-twitter|static\.ads|snap\.licdn|px\.ads\.linkedin|analytics\.tiktok|criteo|taboola|outbrain|bat\.bing\.com|adnxs|ct\.pinterest|sc-static\.net|amazon-adsystem/,
    'advertising',
  ],
  [/youtube(-nocookie)?\.com|ytimg\.com|vimeo\.com|maps\.google|maps\.googleapis|google\.com\/maps|openstreetmap|mapbox|spotify\.com|soundcloud\.com|platform\.twitter\.com|instagram\.com\/embed/, 'functional'],
];

/** Cookie names and storage keys by category. */
const NAMES: [RegExp, string][] = [
  [/^(_ga|_gid|_gat|__utm|_hj|_clck|_clsk|ajs_|mp_|amp_|amplitude|_pk_|_sp_|_dc_gtm|plausible)/, 'analytics'],
  [/^(_fbp|_fbc|fr$|_gcl|IDE$|DSID$|test_cookie$|_uet|_pin_|_tt_|_ttp$|li_|bcookie$|lidc$|MUID$|_scid|__gads|__gpi)/, 'advertising'],
  [/^(YSC$|VISITOR_INFO|VISITOR_PRIVACY|PREF$|yt-|ytidb|NID$|vuid$|player$|__Secure-3P)/, 'functional'],
];

/** The category a URL (script `src` or request) most likely belongs to. */
export const guessUrl = (url: string): Guess => URLS.find(([re]) => re.test(url))?.[1] ?? 'unknown';

/** The category a cookie name or storage key most likely belongs to. */
export const guessName = (name: string): Guess => NAMES.find(([re]) => re.test(name))?.[1] ?? 'unknown';

/**
 * The category of inline code: a known tracker's URL or call in it, else the
 * first cookie or storage key it writes whose name is known.
 */
export function guessCode(code: string): Guess {
  code = code.slice(0, 20000);
  const byUrl = guessUrl(code);
  if (byUrl != 'unknown') return byUrl;
  if (/\bgtag\(|\b_paq\.push|\bhj\(|\bplausible\(/.test(code)) return 'analytics';
  if (/\bfbq\(|\bttq\.|\btwq\(|\blintrk\(|\buetq\b/.test(code)) return 'advertising';
  for (const m of code.matchAll(/cookie\s*=\s*['"`]\s*([^=;'"`\s]+)=|setItem\(\s*['"`]([^'"`]+)/g)) {
    const g = guessName(m[1] || m[2]);
    if (g != 'unknown') return g;
  }
  return 'unknown';
}
