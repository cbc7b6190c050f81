/**
 * The gate's only part of audit mode: check the switch, and only then fetch
 * `consentkit-audit.js` from beside the gate. Everything else lives in that
 * file, so visitors pay a few bytes for it and nothing more.
 */
import type { ConsentKit } from '../core/consent-kit.js';
import { logError } from '../core/log.js';
import { loadOwnScript } from '../core/trusted-types.js';
import type { AuditModule } from './types.js';

/** Where audit mode's code comes from: `() => import('consentkit/audit')` for ESM builds. */
export type AuditSource = () => Promise<AuditModule>;

/**
 * Starts audit mode when `config.audit` is true or the page URL has
 * `?consentkit-audit`. Must run synchronously while the gate script executes
 * (it reads `document.currentScript`).
 */
export function startAudit(kit: ConsentKit, source?: AuditSource): void {
  if (!kit.config.audit && !new URLSearchParams(location.search).has('consentkit-audit')) return;
  const gate = document.currentScript as HTMLScriptElement | null;
  const base = gate?.src ? new URL('.', gate.src).href : undefined;
  (source
    ? source()
    : loadOwnScript(`${base ?? ''}consentkit-audit.js`, gate?.nonce ?? '').then(() => window.consentkitAuditModule)
  )
    .then((m) => m?.start(kit, base))
    .catch((e: unknown) => {
      logError('audit mode did not start:', e);
    });
}
