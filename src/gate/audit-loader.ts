/**
 * The gate's only part of audit mode: check the switch, and only then fetch
 * `consentkit-audit.js` from beside the gate. Everything else lives in that
 * file, so visitors pay a few bytes for it and nothing more.
 */
import type { ConsentKit } from './core/consent-kit.js';
import { logError } from './core/log.js';
import type { LoadPart } from './parts.js';
import type { AuditModule } from '../parts/audit/types.js';

/** Where audit mode's code comes from: `() => import('consentkit/audit')` for ESM builds. */
export type AuditSource = () => Promise<AuditModule>;

/**
 * Starts audit mode when `config.audit` is true or the page URL has
 * `?consentkit-audit`. `base` is the folder the gate was loaded from, where
 * audit mode finds its translations.
 */
export function startAudit(kit: ConsentKit, load: LoadPart, base: string | undefined): void {
  if (!kit.config.audit && !new URLSearchParams(location.search).has('consentkit-audit')) return;
  load('audit')
    .then((m) => m.start(kit, base))
    .catch((e: unknown) => {
      logError('audit mode did not start:', e);
    });
}
