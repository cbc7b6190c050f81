/**
 * Audit mode: watches the page for cookies, localStorage keys, requests to
 * other origins and unmarked scripts that appear while their category is not
 * granted, and reports each once (console table, overlay, `consentkit:audit`
 * event, `window.consentkitAudit`) with the category it should be marked
 * with. Loaded only when switched on (`consentkit-audit.js`), never in the gate.
 */
import type { ConsentState } from '../../gate/core/choice.js';
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { cookieMatches } from '../../gate/core/cookie-jar.js';
import { guessCode, guessName, guessUrl } from './guess.js';
import { createOverlay } from './overlay.js';
import type { AuditApi, AuditFinding, AuditKind } from './types.js';

/** How long cookies and storage are polled for new entries (nothing signals their writes). */
export const POLL_FOR_MS = 60000;
const POLL_EVERY_MS = 1000;

/** Script types the browser runs; anything else (JSON, templates, `text/plain`) is inert. */
const RUNS = /^(module|(text|application)\/(x-)?(java|ecma)script)?$/;

/** Starts auditing the page for `kit`. `base` is the folder consentkit was loaded from (its own files are skipped). */
export function start(kit: ConsentKit, base?: string): AuditApi {
  window.consentkitAudit?.stop();
  const { config } = kit;
  const findings: AuditFinding[] = [];
  const seen = new Set<string>();
  let added: AuditFinding[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  // Requests are judged by the state when they started, not when we saw them.
  const timeline: [number, ConsentState][] = [[0, kit.getState()]];
  const offChange = kit.onChange(({ state }) => timeline.push([performance.now(), state]));
  const stateAt = (t: number) => timeline.reduce((s, [at, st]) => (at <= t ? st : s), timeline[0][1]);

  const declared = (name: string): string | undefined =>
    config.categories.find((c) =>
      [...(c.cookies ?? []), ...(c.services ?? []).flatMap((s) => s.cookies ?? [])].some((p) => cookieMatches(p.name, name)),
    )?.id;
  const own = (url: string) => (base != null && url.startsWith(base)) || /\/consentkit(-[a-z]+)?\.js(\?|$)/.test(url);
  const foreign = (url: string) => {
    try {
      const u = new URL(url, location.href);
      return /^https?:$/.test(u.protocol) && u.origin != location.origin && !own(u.href);
    } catch {
      return false;
    }
  };

  const overlay = createOverlay();
  const flush = () => {
    flushTimer = undefined;
    if (!added.length) return;
    const detail = { findings: [...findings], added };
    added = [];
    console.group(`[consentkit audit] ${detail.added.length} appeared before consent (${findings.length} in all)`);
    console.table(detail.added.map(({ kind, name, category, basis }) => ({ kind, name, 'should be': category, from: basis })));
    console.groupEnd();
    overlay.update(findings);
    dispatchEvent(new CustomEvent('consentkit:audit', { detail }));
  };

  const note = (kind: AuditKind, name: string, guess: string, time = performance.now(), category?: string) => {
    const key = `${kind} ${name}`;
    const cat = category ?? guess;
    // Granted when it appeared: fine. Not remembered, so a later withdrawal still shows it.
    if (seen.has(key) || stateAt(time).categories[cat]) return;
    seen.add(key);
    const finding: AuditFinding = { kind, name, category: cat, basis: category ? 'config' : 'guess', time };
    findings.push(finding);
    added.push(finding);
    flushTimer ??= setTimeout(flush, 100);
  };

  const checkScript = (s: HTMLScriptElement) => {
    // Marked (still blocked, or activated by the blocker), or not code at all.
    if (s.hasAttribute('data-category') || s.hasAttribute('data-consentkit') || !RUNS.test(s.type.trim().toLowerCase())) return;
    if (s.src) {
      if (foreign(s.src)) note('script', s.src, guessUrl(s.src));
      return;
    }
    const code = s.text.trim();
    // Code that talks to consentkit is consent-aware by design.
    if (code && !code.includes('consentkit')) note('script', `inline: ${code.replace(/\s+/g, ' ').slice(0, 60)}`, guessCode(code));
  };
  const checkRequest = (e: PerformanceEntry) => {
    if (!foreign(e.name)) return;
    const u = new URL(e.name);
    note('request', u.origin + u.pathname, guessUrl(e.name), e.startTime);
  };
  const scanStores = () => {
    for (const part of document.cookie.split(/;\s*/)) {
      const eq = part.indexOf('=');
      let name = eq < 0 ? part : part.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      if (name && name != config.cookie.name) note('cookie', name, guessName(name), undefined, declared(name));
    }
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key && !key.startsWith('consentkit')) note('storage', key, guessName(key), undefined, declared(key));
      }
    } catch {
      // Storage blocked (sandboxed frame, privacy settings): nothing to report.
    }
  };
  const scan = () => {
    scanStores();
    for (const s of Array.from(document.scripts)) checkScript(s);
    for (const e of performance.getEntriesByType('resource')) checkRequest(e);
  };

  const resources = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) checkRequest(e);
  });
  resources.observe({ type: 'resource', buffered: true });
  const scripts = new MutationObserver((records) => {
    for (const r of records)
      for (const n of Array.from(r.addedNodes))
        if (n instanceof HTMLScriptElement) checkScript(n);
        else if (n instanceof Element) n.querySelectorAll('script').forEach(checkScript);
    // New markup often comes with new cookies.
    scanStores();
  });
  scripts.observe(document.documentElement, { childList: true, subtree: true });
  const poll = setInterval(scanStores, POLL_EVERY_MS);
  const stopPolling = setTimeout(() => {
    clearInterval(poll);
  }, POLL_FOR_MS);
  const onLoad = () => {
    scan();
  };
  addEventListener('load', onLoad);

  const api: AuditApi = {
    findings,
    scan,
    stop: () => {
      resources.disconnect();
      scripts.disconnect();
      clearInterval(poll);
      clearTimeout(stopPolling);
      clearTimeout(flushTimer);
      removeEventListener('load', onLoad);
      offChange();
      overlay.remove();
      if (window.consentkitAudit == api) delete window.consentkitAudit;
    },
  };
  window.consentkitAudit = api;
  scan();
  return api;
}
