/**
 * Reading and writing the consent cookie (js-cookie), and deleting the
 * cookies a withdrawn category set.
 */
import Cookies from 'js-cookie';
import type { CookieOptions } from './config.js';

/**
 * The attributes the consent cookie is written with. js-cookie leaves out an
 * attribute whose value is false or undefined.
 */
export const cookieAttributes = (o: CookieOptions, secureDefault: boolean): Cookies.CookieAttributes => ({
  path: o.path,
  sameSite: o.sameSite,
  expires: o.expiryDays,
  // Browsers drop SameSite=None cookies that are not Secure; never write one.
  secure: (o.secure ?? secureDefault) || o.sameSite == 'None',
  domain: o.domain,
});

export const readCookie = (name: string): string | undefined => Cookies.get(name);

export const writeCookie = (o: CookieOptions, value: string, secureDefault: boolean): void => {
  Cookies.set(o.name, value, cookieAttributes(o, secureDefault));
};

export const removeCookie = (o: CookieOptions): void => {
  Cookies.remove(o.name, { path: o.path, domain: o.domain });
};

/** Matches a configured cookie name; a trailing `*` matches any suffix. */
export const cookieMatches = (pattern: string, name: string): boolean =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name == pattern;

/**
 * Deletes every cookie whose name matches one of `patterns`, for the current
 * host, every parent domain of it, and the configured domain, on path `/` and
 * the configured path: trackers set cookies on the widest domain they can.
 */
export function deleteCookies(patterns: string[], o: CookieOptions): string[] {
  if (!patterns.length) return [];
  const names = Object.keys(Cookies.get()).filter((n) => patterns.some((p) => cookieMatches(p, n)));
  const labels = location.hostname.split('.');
  const domains: (string | undefined)[] = [undefined];
  for (let i = 0; i < labels.length - 1; i++) domains.push(labels.slice(i).join('.'));
  if (o.domain) domains.push(o.domain);
  for (const name of names)
    for (const domain of domains)
      for (const path of new Set(['/', o.path])) Cookies.remove(name, { path, domain });
  return names;
}
