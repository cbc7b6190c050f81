/**
 * Reading the visitor's choice on the server, from a request's Cookie header,
 * so a server-rendered page can leave out tags before they reach the browser.
 * Node-safe: no DOM. Decoding and validity are the core's own pure functions,
 * so the server and the browser can never disagree about a cookie.
 */
import { decodeChoice, defaultState, staleReason, storedState, type ConsentMode, type ConsentState } from '../gate/core/choice.js';
import { validateConfig } from '../parts/diagnostics/validate-config.js';

/** What the request tells beyond the cookie (the browser SDK gets the same from its environment). */
export interface ReadConsentOptions {
  /** The request carried `Sec-GPC: 1` (honoured unless `config.gpc` is false). */
  gpc?: boolean;
  /** How undecided visitors are treated for this request's region (default `opt-in`). */
  mode?: ConsentMode;
}

// js-cookie writes values with percent-escapes and reads them back by decoding
// each run of escapes; a run that is not valid UTF-8 is kept as it is here
// (js-cookie drops the whole cookie), and the value then fails to decode.
const decode = (s: string): string =>
  s.replace(/(%[\dA-F]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });

/**
 * The value of cookie `name` in a Cookie header, decoded the way js-cookie
 * reads `document.cookie`; the first occurrence wins (browsers send the most
 * specific path first). Undefined when absent.
 */
export function cookieFromHeader(header: string | undefined, name: string): string | undefined {
  if (typeof header != 'string') return undefined;
  for (const part of header.split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq < 1 || decode(part.slice(0, eq).trim()) != name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1);
    return decode(value);
  }
  return undefined;
}

/**
 * The consent state a Cookie header gives: the same `{ decided, choice,
 * categories, services }` as `consentkit.getState()` in the browser. A
 * missing, malformed, expired or other-revision value, or a config with
 * errors, gives "no choice" (only required categories granted). Never throws.
 */
export function readConsent(
  cookieHeader: string | undefined,
  config?: unknown,
  now: number = Date.now(),
  options: ReadConsentOptions = {},
): ConsentState {
  const { config: resolved, errors } = validateConfig(config);
  const ok = errors.length == 0;
  const gpc = resolved.gpc && !!options.gpc;
  const choice = ok ? decodeChoice(cookieFromHeader(cookieHeader, resolved.cookie.name)) : null;
  return choice && !staleReason(choice, resolved, now)
    ? storedState(resolved, choice, gpc)
    : defaultState(resolved, ok ? (options.mode ?? 'opt-in') : 'opt-in', gpc);
}
