/**
 * Where script code may come from. Every script consentkit creates (its own
 * UI and audit files, activated marked scripts) gets its URL or text here, so
 * one Trusted Types policy (named `consentkit`) and one allow-list
 * (`config.trustedScriptUrls`) cover them all. Nothing here renders anything.
 */
import type { ResolvedConfig } from './config.js';
import { cookieMatches } from './cookie-jar.js';

/** The parts of a Trusted Types policy consentkit uses. */
interface ScriptPolicy {
  createScriptURL(url: string): unknown;
  createScript(text: string): unknown;
  createHTML(html: string): unknown;
}

declare global {
  interface Window {
    trustedTypes?: { createPolicy(name: string, rules: ScriptPolicy): ScriptPolicy };
  }
}

/** Name of consentkit's Trusted Types policy: list it in the CSP's `trusted-types` directive. */
export const POLICY_NAME = 'consentkit';

/** The allow-list (absolute URLs, a final `*` for a prefix), or undefined when the config sets none. */
let allowList: string[] | undefined;
/** consentkit's own files (`consentkit-ui.js`, `consentkit-sender.js`, … beside the gate). */
const own = new Set<string>();
let policy: ScriptPolicy | null | undefined;

const absolute = (url: string): string => new URL(url, document.baseURI).href;

/**
 * Takes `trustedScriptUrls` from the resolved config. When it is given, marked
 * scripts load only from those URLs; an invalid list resolves to none of them
 * (fail closed). consentkit's own files stay allowed.
 */
export function configureScriptUrls(config: Pick<ResolvedConfig, 'trustedScriptUrls'>): void {
  // `*` survives URL parsing in a path, so a prefix entry stays one.
  allowList = config.trustedScriptUrls?.map(absolute);
}

/** Whether a script may load from `url`: consentkit's own files, else the allow-list when there is one. */
export function scriptUrlAllowed(url: string): boolean {
  const abs = absolute(url);
  // Same matching as configured cookie names: exact, or a prefix with a final `*`.
  return own.has(abs) || !allowList || allowList.some((e) => cookieMatches(e, abs));
}

/** Returns `url` if a script may load from it, else throws naming it. */
const check = (url: string): string => {
  if (!scriptUrlAllowed(url)) throw new Error(`script ${url} is not in trustedScriptUrls; it stays blocked`);
  return url;
};

/**
 * The policy, created on first use. Where the page does not allow the name,
 * creating it fails and plain strings are used (which such a page then refuses).
 */
function getPolicy(): ScriptPolicy | null {
  if (policy === undefined)
    try {
      // createScript only ever gets the text of a marked inline script the blocker accepted;
      // createHTML only markup the page wrote itself, with auto-blocking's held elements in it.
      policy =
        window.trustedTypes?.createPolicy(POLICY_NAME, { createScriptURL: check, createScript: (text) => text, createHTML: (html) => html }) ?? null;
    } catch {
      // The page's CSP refused the name, and reports it as a violation naming "consentkit".
      policy = null;
    }
  return policy;
}

/** The value to assign to a script's `src` (a TrustedScriptURL where the browser has Trusted Types); throws when refused. */
export const trustedScriptUrl = (url: string): string => (getPolicy()?.createScriptURL(url) ?? check(url)) as string;

/** `trustedScriptUrl` for one of consentkit's own files, which is always allowed. */
export function ownScriptUrl(url: string): string {
  own.add(absolute(url));
  return trustedScriptUrl(url);
}

/** The value to give an HTML sink (`document.write`, `innerHTML`) for markup the page gave one. */
export const trustedHtml = (html: string): string => (getPolicy()?.createHTML(html) ?? html) as string;
/** The value to assign to an inline script's `text`. */
export const trustedScript = (text: string): string => (getPolicy()?.createScript(text) ?? text) as string;

/** Whether an allow-list is configured: inline marked scripts added after start-up are then refused. */
export const strictScripts = (): boolean => allowList !== undefined;

/** Appends a script tag for one of our own files (beside the gate) with the gate's nonce; settles on load or error. */
export const loadOwnScript = (src: string, nonce: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = ownScriptUrl(src);
    s.nonce = nonce;
    s.onload = () => {
      resolve();
    };
    s.onerror = () => {
      reject(new Error(`could not load ${src}`));
    };
    document.head.append(s);
  });
