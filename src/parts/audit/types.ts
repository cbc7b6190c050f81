/**
 * The public shape of audit mode: findings, the `consentkit:audit` event and
 * `window.consentkitAudit`. Types only, so the gate can name them for free.
 */
import type { ConsentKit } from '../../gate/core/consent-kit.js';

/** What was found: a cookie, a localStorage key, a request to another origin, or a script. */
export type AuditKind = 'cookie' | 'storage' | 'request' | 'script';

/** Something that appeared while its category was not granted. */
export interface AuditFinding {
  kind: AuditKind;
  /** Cookie name, storage key, request URL (without query), script `src`, or `inline: <start of the code>`. */
  name: string;
  /** The category it should be marked with or listed under, or `unknown`. */
  category: string;
  /** `config` when the config lists it (a cookie pattern), `guess` when taken from the built-in table. */
  basis: 'config' | 'guess';
  /** When it was seen, in `performance.now()` milliseconds. */
  time: number;
}

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
