/**
 * Where script code may come from. Every script consentkit creates (its own
 * UI and audit files, activated marked scripts) gets its URL or text here, so
 * one Trusted Types policy (named `consentkit`) and one allow-list
 * (`config.trustedScriptUrls`) cover them all. Nothing here renders anything.
 */
import { logError } from './log.js';

/** The parts of a Trusted Types policy consentkit uses. */
interface ScriptPolicy {
  createScriptURL(url: string): unknown;
  createScript(text: string): unknown;
}

declare global {
  interface Window {
    trustedTypes?: { createPolicy(name: string, rules: ScriptPolicy): ScriptPolicy };
  }
}

/** Name of consentkit's Trusted Types policy: list it in the CSP's `trusted-types` directive. */
export const POLICY_NAME = 'consentkit';

/** An entry: an absolute http(s) URL or a root-relative path, optionally ending in `*` (prefix). */
const ENTRY = /^(https?:\/\/[^/\s*?#]+)?\/[^\s*]*\*?$/;

/** The allow-list (absolute URLs or prefixes), or undefined when the config sets none. */
let allowList: { url: string; prefix: boolean }[] | undefined;
/** consentkit's own files (`consentkit-ui.js`, `consentkit-audit.js` beside the gate). */
const own = new Set<string>();
let policy: ScriptPolicy | null | undefined;

const absolute = (url: string): string => new URL(url, document.baseURI).href;

/**
 * Reads `trustedScriptUrls` from the raw config. When it is given, marked
 * scripts load only from those URLs. An invalid list is a console error and
 * allows none of them (fail closed); consentkit's own files stay allowed.
 */
export function configureScriptUrls(raw: unknown): void {
  const list = typeof raw == 'object' && raw ? (raw as Record<string, unknown>).trustedScriptUrls : undefined;
  if (list === undefined) {
    allowList = undefined;
    return;
  }
  const ok = Array.isArray(list) && list.every((u) => typeof u == 'string' && ENTRY.test(u));
  if (!ok)
    logError(
      'invalid config: trustedScriptUrls must be an array of http(s) URLs or root-relative paths, each optionally ending in * (no marked script will load)',
    );
  allowList = ok
    ? (list as string[]).map((u) => ({ url: absolute(u.replace(/\*$/, '')), prefix: u.endsWith('*') }))
    : [];
}

/** Marks `url` as one of consentkit's own files (always allowed). */
export function ownScript(url: string): void {
  own.add(absolute(url));
}

/** Whether a script may load from `url`: consentkit's own files, else the allow-list when there is one. */
export function scriptUrlAllowed(url: string): boolean {
  let abs: string;
  try {
    abs = absolute(url);
  } catch {
    return false;
  }
  if (own.has(abs) || !allowList) return true;
  return allowList.some((e) => (e.prefix ? abs.startsWith(e.url) : abs == e.url));
}

/**
 * The policy, created on first use. Where the page does not allow the name,
 * creating it fails and plain strings are used (which such a page then refuses).
 */
function getPolicy(): ScriptPolicy | null {
  if (policy === undefined) {
    policy = null;
    try {
      policy =
        window.trustedTypes?.createPolicy(POLICY_NAME, {
          createScriptURL: (url) => {
            if (!scriptUrlAllowed(url)) throw new Error(`script ${url} is not in trustedScriptUrls`);
            return url;
          },
          // Only ever called with the text of a marked inline script the blocker accepted.
          createScript: (text) => text,
        }) ?? null;
    } catch (e) {
      logError(`could not create the Trusted Types policy "${POLICY_NAME}" (add it to the CSP's trusted-types directive):`, e);
    }
  }
  return policy;
}

/** The value to assign to a script's `src`; throws (naming the URL) when the URL is not allowed. */
export function trustedScriptUrl(url: string): string {
  if (!scriptUrlAllowed(url)) throw new Error(`script ${url} is not in trustedScriptUrls; it stays blocked`);
  // A TrustedScriptURL where the browser has Trusted Types; typed as the string it stands for.
  return (getPolicy()?.createScriptURL(url) ?? url) as string;
}

/** The value to assign to an inline script's `text`. */
export function trustedScript(text: string): string {
  return (getPolicy()?.createScript(text) ?? text) as string;
}

/** Whether an allow-list is configured: inline marked scripts added after start-up are then refused. */
export const strictScripts = (): boolean => allowList !== undefined;
