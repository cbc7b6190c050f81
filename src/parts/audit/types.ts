/**
 * The public shape of audit mode: findings, the `consentkit:audit` event and
 * `window.consentkitAudit`. Types only, so the gate can name them for free.
 */
import type { ServiceConfig } from '../../gate/core/config.js';
import type { ConsentKit } from '../../gate/core/consent-kit.js';

/**
 * What was found: a cookie, a localStorage key, a request to another origin, a
 * script, iframe, image or stylesheet from another origin; or one of the limits
 * of auto-blocking: a tag the config or the catalog names that stands before the
 * consentkit tag (`early-tag`), or a worker (`worker`).
 */
export type AuditKind = 'cookie' | 'storage' | 'request' | 'script' | 'iframe' | 'image' | 'stylesheet' | 'early-tag' | 'worker';

/** Something that appeared while its category was not granted, or that consentkit cannot block. */
export interface AuditFinding {
  kind: AuditKind;
  /**
   * Cookie name, storage key, request URL (without query), script `src` or
   * `inline: <start of the code>`, iframe or image `src`, stylesheet `href`, worker script URL.
   */
  name: string;
  /** The category it should be marked with or listed under, or `unknown`. */
  category: string;
  /**
   * `config` when the config lists it (a cookie pattern, a service's URL pattern),
   * `catalog` when an entry of the service catalog names it, `guess` when taken
   * from the built-in table.
   */
  basis: 'config' | 'catalog' | 'guess';
  /** When it was seen, in `performance.now()` milliseconds. */
  time: number;
  /** The id of the service catalog entry it belongs to, when the config does not list it. */
  catalog?: string;
  /** That entry as a config service: the snippet to add to the `services` of `category`. */
  service?: ServiceConfig;
  /** For the limits of auto-blocking (`early-tag`, `worker`): why consentkit cannot stop it, and what to do. */
  advice?: string;
}

/**
 * The service catalog (`catalog/services.json` beside consentkit's files):
 * `loading`, `loaded`, or `unavailable` (not fetched; findings are then not
 * named after catalog services, and the console says why).
 */
export type AuditCatalogStatus = 'loading' | 'loaded' | 'unavailable';

/** Detail of the `consentkit:audit` event. */
export interface AuditDetail {
  /** Everything found so far. */
  findings: AuditFinding[];
  /** What this event adds. */
  added: AuditFinding[];
}

/** `window.consentkitAudit` while audit mode runs. */
export interface AuditApi {
  /** Everything found so far (a live list). */
  readonly findings: readonly AuditFinding[];
  /** Whether the service catalog could be fetched. */
  readonly catalog: AuditCatalogStatus;
  /** Checks cookies, storage, scripts and requests now. */
  scan(): void;
  /** Stops watching and removes the overlay. */
  stop(): void;
}

/** What `consentkit-audit.js` (or `import('consentkit/audit')`) provides. */
export interface AuditModule {
  /** Starts auditing the page for `kit`; `base` is the URL of the folder consentkit was loaded from. */
  start(kit: ConsentKit, base?: string): AuditApi;
}

declare global {
  interface Window {
    /** Audit mode's findings and controls, while it runs. */
    consentkitAudit?: AuditApi;
  }
  interface WindowEventMap {
    /** Audit mode found new things that appeared before consent. */
    'consentkit:audit': CustomEvent<AuditDetail>;
  }
}
