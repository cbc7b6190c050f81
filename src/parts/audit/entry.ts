/**
 * `consentkit-audit.js` / `consentkit/audit`: audit mode's code, fetched only
 * when audit mode is switched on. Its `start` is the `AuditModule`.
 */
export { start } from './audit.js';
export type { AuditApi, AuditCatalogStatus, AuditDetail, AuditFinding, AuditKind, AuditModule } from './types.js';
