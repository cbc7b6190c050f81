/**
 * Audit mode: watches the page for cookies, localStorage keys, requests to
 * other origins and unmarked scripts, iframes, images and stylesheets that
 * appear while their category is not granted, and reports each once (console
 * table, overlay, `consentkit:audit` event, `window.consentkitAudit`) with the
 * category it should be marked with and, when the service catalog knows it,
 * the catalog service to add to the config. It also reports what auto-blocking
 * cannot stop (limits.ts). Loaded only when switched on (`consentkit-audit.js`),
 * never in the gate.
 */
import { expandService, type Catalog } from '../../catalog/catalog.js';
import { matchesUrlPattern } from '../../gate/blocker/url-pattern.js';
import type { ConsentState } from '../../gate/core/choice.js';
import { allServices } from '../../gate/core/config.js';
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { cookieMatches } from '../../gate/core/cookie-jar.js';
import { CATALOG_PATH, entryFor, fetchCatalog } from './catalog-lookup.js';
import { guessCode, guessName, guessUrl } from './guess.js';
import { EARLY_TAG_ADVICE, WORKER_ADVICE, gateTag, isMarked, isWorkerScript, urlTag, urlTags, watchWorkers } from './limits.js';
import { createOverlay } from './overlay.js';
import type { AuditApi, AuditCatalogStatus, AuditFinding, AuditKind } from './types.js';

/** How long cookies and storage are polled for new entries (nothing signals their writes). */
export const POLL_FOR_MS = 60000;
const POLL_EVERY_MS = 1000;

/** What was seen, before it is judged. */
interface Sighting {
  kind: AuditKind;
  /** What the finding shows (see `AuditFinding.name`). */
  name: string;
  /** What the config and the catalog are searched for: the full URL of a tag or request, else `name`. */
  key?: string;
  /** The built-in table's category for it. */
  guess: string;
  time?: number;
  /** Set for the limits of auto-blocking, which are reported whatever the visitor chose. */
  advice?: string;
}

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
  const declaredUrl = (url: string): string | undefined => {
    let parsed: URL;
    try {
      parsed = new URL(url, location.href);
    } catch {
      return undefined;
    }
    return allServices(config).find((s) => (s.urls ?? []).some((pattern) => matchesUrlPattern(pattern, parsed)))?.category;
  };
  const configured = (kind: AuditKind, key: string) => (kind == 'cookie' || kind == 'storage' ? declared(key) : declaredUrl(key));

  // The service catalog, from beside consentkit's files; audit works without it.
  let catalog: Catalog | undefined;
  let catalogStatus: AuditCatalogStatus = base == null ? 'unavailable' : 'loading';
  const catalogEntry = (kind: AuditKind, key: string) => {
    try {
      return catalog && entryFor(catalog, kind, key);
    } catch {
      // A damaged entry names nothing.
      return undefined;
    }
  };
  /** How a finding is judged: by the config first, then the catalog, then the table. */
  const judge = (kind: AuditKind, key: string, guess: string): Pick<AuditFinding, 'category' | 'basis' | 'catalog' | 'service'> => {
    const category = configured(kind, key);
    if (category) return { category, basis: 'config' };
    const entry = catalogEntry(kind, key);
    if (entry) return { category: entry.category, basis: 'catalog', catalog: entry.id, service: expandService(entry) };
    return { category: guess, basis: 'guess' };
  };
  /** The lookup key of each finding judged by guess, to judge again once the catalog is in. */
  const guessedKeys = new Map<AuditFinding, string>();
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
  /** Catalog services offered so far, each logged once. */
  const offered = new Set<string>();
  const logServices = (list: readonly AuditFinding[]) => {
    for (const { service, category } of list)
      if (service && !offered.has(service.id)) {
        offered.add(service.id);
        console.log(`[consentkit audit] ${service.label ?? service.id} is in the service catalog; add it to the services of the category "${category}":\n${JSON.stringify(service, null, 2)}`);
      }
  };
  const report = (detail: { findings: AuditFinding[]; added: AuditFinding[] }) => {
    logServices(detail.findings);
    overlay.update(findings, catalogStatus);
    dispatchEvent(new CustomEvent('consentkit:audit', { detail }));
  };
  const flush = () => {
    flushTimer = undefined;
    if (!added.length) return;
    const detail = { findings: [...findings], added };
    added = [];
    console.group(`[consentkit audit] ${detail.added.length} appeared before consent (${findings.length} in all)`);
    console.table(
      detail.added.map(({ kind, name, category, basis, catalog: entry, advice }) => ({ kind, name, 'should be': category, from: basis, catalog: entry ?? '', note: advice ?? '' })),
    );
    console.groupEnd();
    report(detail);
  };

  const note = ({ kind, name, key = name, guess, time = performance.now(), advice }: Sighting) => {
    const id = `${kind} ${name}`;
    if (seen.has(id)) return;
    const judged = judge(kind, key, guess);
    // Granted when it appeared: fine. Not remembered, so a later withdrawal still shows it.
    if (!advice && stateAt(time).categories[judged.category]) return;
    seen.add(id);
    const finding: AuditFinding = { kind, name, ...judged, time, ...(advice ? { advice } : {}) };
    if (judged.basis == 'guess') guessedKeys.set(finding, key);
    findings.push(finding);
    added.push(finding);
    flushTimer ??= setTimeout(flush, 100);
  };

  const checkScript = (s: HTMLScriptElement) => {
    // Marked (still blocked, or activated by the blocker), or not code at all.
    if (isMarked(s)) return;
    if (s.src) {
      if (foreign(s.src)) note({ kind: 'script', name: s.src, guess: guessUrl(s.src) });
      return;
    }
    const code = s.text.trim();
    // Code that talks to consentkit is consent-aware by design.
    if (code && !code.includes('consentkit')) note({ kind: 'script', name: `inline: ${code.replace(/\s+/g, ' ').slice(0, 60)}`, guess: guessCode(code) });
  };
  const checkElement = (el: Element) => {
    if (el instanceof HTMLScriptElement) {
      checkScript(el);
      return;
    }
    const tag = urlTag(el);
    if (tag && foreign(tag.url)) note({ kind: tag.kind, name: tag.url, guess: guessUrl(tag.url) });
  };
  const checkRequest = (e: PerformanceEntry) => {
    if (e instanceof PerformanceResourceTiming && isWorkerScript(e)) note({ kind: 'worker', name: e.name, guess: guessUrl(e.name), advice: WORKER_ADVICE });
    if (!foreign(e.name)) return;
    const u = new URL(e.name);
    note({ kind: 'request', name: u.origin + u.pathname, key: e.name, guess: guessUrl(e.name), time: e.startTime });
  };
  /** Tags before the consentkit tag that the config or the catalog names: they ran before it could block them. */
  const checkEarlyTags = () => {
    for (const tag of urlTags(gateTag()))
      if (tag.early && judge(tag.kind, tag.url, 'unknown').basis != 'guess')
        note({ kind: 'early-tag', name: tag.url, guess: 'unknown', advice: EARLY_TAG_ADVICE });
  };
  const stopWatchingWorkers = watchWorkers((url) => {
    note({ kind: 'worker', name: url, guess: guessUrl(url), advice: WORKER_ADVICE });
  });
  const scanStores = () => {
    for (const part of document.cookie.split(/;\s*/)) {
      const eq = part.indexOf('=');
      let name = eq < 0 ? part : part.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      if (name && name != config.cookie.name) note({ kind: 'cookie', name, guess: guessName(name) });
    }
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key && !key.startsWith('consentkit')) note({ kind: 'storage', name: key, guess: guessName(key) });
      }
    } catch {
      // Storage blocked (sandboxed frame, privacy settings): nothing to report.
    }
  };
  const scan = () => {
    scanStores();
    for (const s of Array.from(document.scripts)) checkScript(s);
    for (const el of Array.from(document.querySelectorAll('iframe, img, link'))) checkElement(el);
    for (const e of performance.getEntriesByType('resource')) checkRequest(e);
    checkEarlyTags();
  };

  const resources = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) checkRequest(e);
  });
  resources.observe({ type: 'resource', buffered: true });
  const scripts = new MutationObserver((records) => {
    for (const r of records)
      for (const n of Array.from(r.addedNodes))
        if (n instanceof Element) [n, ...Array.from(n.querySelectorAll('script, iframe, img, link'))].forEach(checkElement);
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

  /** Once the catalog is in: names what was found by guess, and finds the early tags only it names. */
  const useCatalog = (loaded: Catalog) => {
    catalog = loaded;
    catalogStatus = 'loaded';
    const named: AuditFinding[] = [];
    for (const [finding, key] of guessedKeys) {
      const judged = judge(finding.kind, key, finding.category);
      if (judged.basis == 'guess') continue;
      Object.assign(finding, judged);
      guessedKeys.delete(finding);
      named.push(finding);
    }
    if (named.length) console.info(`[consentkit audit] the service catalog names ${named.length} of the findings`);
    checkEarlyTags();
    report({ findings: [...findings], added: [] });
  };
  if (base != null) {
    const url = new URL(CATALOG_PATH, base).href;
    fetchCatalog(base).then(
      (loaded) => {
        if (window.consentkitAudit == api) useCatalog(loaded);
      },
      (e: unknown) => {
        catalogStatus = 'unavailable';
        console.warn(`[consentkit audit] the service catalog (${url}) could not be fetched: ${e instanceof Error ? e.message : String(e)}. Findings are not named after catalog services.`);
        if (window.consentkitAudit == api && findings.length) overlay.update(findings, catalogStatus);
      },
    );
  }

  const api: AuditApi = {
    findings,
    get catalog() {
      return catalogStatus;
    },
    scan,
    stop: () => {
      stopWatchingWorkers();
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
