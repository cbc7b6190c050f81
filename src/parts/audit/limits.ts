/**
 * The limits of auto-blocking that audit mode points out. consentkit blocks what
 * is added after its tag ran, from the page itself; it cannot stop a tag that
 * stands before its tag (it ran first), nor anything a worker loads or sends
 * (a worker's requests never pass through the page).
 */

/** Why a tag before the consentkit tag could not be stopped, and the fix. */
export const EARLY_TAG_ADVICE = 'It ran before consentkit could block it: move it after the consentkit tag, or mark it with data-category.';

/** Why a worker is a limit, and the fix. */
export const WORKER_ADVICE = 'consentkit cannot block what a worker loads or sends: start the worker from a marked script, so it starts only after consent.';

/** A tag that loads something from a URL. */
export interface UrlTag {
  kind: 'script' | 'iframe' | 'image' | 'stylesheet';
  url: string;
}

const TAGS = 'script[src], iframe[src], img[src], link[rel~="stylesheet"][href]';
/** Script types the browser runs; anything else (`text/plain` of a marked script) is inert. */
const RUNS = /^(module|(text|application)\/(x-)?(java|ecma)script)?$/;

/** The consentkit tag: the script whose file is `consentkit.js`, if the page has one. */
export const gateTag = (): HTMLScriptElement | undefined => Array.from(document.scripts).find((s) => /\/consentkit\.js([?#]|$)/.test(s.src));

/** Whether `el` is marked for consentkit (inert until consent) rather than loading at once. */
export const isMarked = (el: Element): boolean =>
  el.hasAttribute('data-category') || el.hasAttribute('data-consentkit') || (el instanceof HTMLScriptElement && !RUNS.test(el.type.trim().toLowerCase()));

/** What `el` loads, if it is an unmarked tag that loads from a URL. */
export function urlTag(el: Element): UrlTag | undefined {
  if (isMarked(el)) return undefined;
  if (el instanceof HTMLScriptElement && el.src) return { kind: 'script', url: el.src };
  if (el instanceof HTMLIFrameElement && el.src) return { kind: 'iframe', url: el.src };
  if (el instanceof HTMLImageElement && el.src) return { kind: 'image', url: el.src };
  if (el instanceof HTMLLinkElement && el.relList.contains('stylesheet') && el.href) return { kind: 'stylesheet', url: el.href };
  return undefined;
}

/** Every unmarked tag in the document that loads from a URL, with whether it stands before `gate`. */
export function urlTags(gate: Element | undefined): (UrlTag & { early: boolean })[] {
  const tags: (UrlTag & { early: boolean })[] = [];
  for (const el of Array.from(document.querySelectorAll(TAGS))) {
    const tag = urlTag(el);
    if (tag) tags.push({ ...tag, early: gate != null && (gate.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) != 0 });
  }
  return tags;
}

/** A script the page fetched that no script tag, fetch or XHR asked for: in Chromium, a worker's. */
export const isWorkerScript = (entry: PerformanceResourceTiming): boolean =>
  entry.initiatorType == 'other' && /\.m?js$/.test(new URL(entry.name).pathname);

/**
 * Calls `found` with the script URL of every worker the page starts from now on
 * (`Worker`, `SharedWorker`, `navigator.serviceWorker.register`) and of every
 * service worker already registered. Returns a function that stops watching
 * and puts the originals back.
 */
export function watchWorkers(found: (url: string) => void): () => void {
  const absolute = (url: string | URL) => new URL(String(url), location.href).href;
  const { Worker: OriginalWorker, SharedWorker: OriginalSharedWorker } = window;
  // Subclasses that report, then start the worker as before (where the browser has workers at all).
  if (typeof OriginalWorker == 'function')
    window.Worker = class extends OriginalWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        found(absolute(url));
      }
    };
  if (typeof OriginalSharedWorker == 'function')
    window.SharedWorker = class extends OriginalSharedWorker {
      constructor(url: string | URL, options?: string | WorkerOptions) {
        super(url, options);
        found(absolute(url));
      }
    };
  // Only in secure contexts (https, localhost).
  const container = 'serviceWorker' in navigator ? navigator.serviceWorker : undefined;
  if (container) {
    const register = container.register.bind(container);
    container.register = (url, options) => {
      found(absolute(url));
      return register(url, options);
    };
    const reportRegistered = (registrations: readonly ServiceWorkerRegistration[]) => {
      for (const registration of registrations) {
        const worker = registration.active ?? registration.waiting ?? registration.installing;
        if (worker) found(worker.scriptURL);
      }
    };
    container.getRegistrations().then(reportRegistered, () => {
      // Not allowed here (an opaque origin): there is nothing to report.
    });
  }
  return () => {
    if (typeof OriginalWorker == 'function') window.Worker = OriginalWorker;
    if (typeof OriginalSharedWorker == 'function') window.SharedWorker = OriginalSharedWorker;
    // The wrapper is an own property in front of the prototype's method.
    if (container) Reflect.deleteProperty(container, 'register');
  };
}
