/**
 * Audit mode's small on-page report: a collapsible table in a shadow root,
 * so page styles neither break it nor are broken by it. Plain DOM with text
 * nodes only: names come from the page and are never parsed as HTML.
 */
import type { AuditCatalogStatus, AuditFinding } from './types.js';

/** The overlay's element name. */
export const OVERLAY_TAG = 'consentkit-audit';

const CSS = `:host{all:initial}aside{position:fixed;bottom:12px;inset-inline-end:12px;z-index:2147483001;max-width:min(36rem,calc(100vw - 24px));max-height:45vh;overflow:auto;box-sizing:border-box;padding:8px 12px;font:13px/1.4 system-ui,sans-serif;color:#111;background:#fff;border:2px solid #b45309;border-radius:8px;box-shadow:0 4px 16px #0004}
summary{font-weight:600;cursor:pointer;padding:4px 0}table{border-collapse:collapse;width:100%;margin-top:4px}caption{text-align:start;color:#333;padding-bottom:4px}
th,td{text-align:start;vertical-align:top;padding:3px 6px;border-top:1px solid #ddd}td:nth-child(2){word-break:break-all;font-family:ui-monospace,monospace}
pre{white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,monospace;background:#f4f4f4;padding:6px;margin:4px 0}h2{font-size:13px;margin:8px 0 2px}ul{margin:0;padding-inline-start:18px}
button{font:inherit;min-width:24px;min-height:24px;margin-top:6px;padding:2px 10px;border:1px solid #555;border-radius:4px;background:#f4f4f4;color:#111;cursor:pointer}:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}`;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '', parent?: Node): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  e.textContent = text;
  parent?.appendChild(e);
  return e;
};

export interface Overlay {
  /** Shows `findings` and whether the catalog could be fetched (adds the overlay to the page on the first call). */
  update(findings: readonly AuditFinding[], catalog: AuditCatalogStatus): void;
  remove(): void;
}

/** Creates the overlay; nothing is added to the page until there is something to show. */
export function createOverlay(): Overlay {
  let host: HTMLElement | undefined;
  let summary: HTMLElement;
  let body: HTMLTableSectionElement;
  /** The limits of auto-blocking, the catalog services to add, and the catalog's status. */
  let more: HTMLElement;
  const build = () => {
    host = document.createElement(OVERLAY_TAG);
    const root = host.attachShadow({ mode: 'open' });
    el('style', CSS, root);
    const aside = el('aside', '', root);
    aside.setAttribute('aria-label', 'consentkit audit');
    const details = el('details', '', aside);
    details.open = true;
    summary = el('summary', '', details);
    const table = el('table', '', details);
    el('caption', 'Appeared before consent. Mark each with data-category (scripts) or list it under its category (cookies).', table);
    const row = el('tr', '', el('thead', '', table));
    for (const h of ['Kind', 'Name', 'Should be', 'Catalog service']) el('th', h, row).scope = 'col';
    body = el('tbody', '', table);
    more = el('div', '', details);
    el('button', 'Close audit', aside).onclick = () => {
      host?.remove();
    };
    document.body.append(host);
  };
  return {
    update(findings, catalog) {
      if (!host) build();
      summary.textContent = `consentkit audit: ${findings.length} found before consent`;
      body.replaceChildren(
        ...findings.map((f) => {
          const tr = el('tr');
          for (const text of [f.kind, f.name, f.category, f.service?.label ?? '']) el('td', text, tr);
          return tr;
        }),
      );
      more.replaceChildren();
      const limits = findings.filter((f) => f.advice);
      if (limits.length) {
        el('h2', 'Auto-blocking cannot stop these', more);
        const list = el('ul', '', more);
        for (const f of limits) el('li', `${f.kind} ${f.name}: ${f.advice ?? ''}`, list);
      }
      const services = new Map(findings.flatMap((f) => (f.service ? [[f.service.id, f] as const] : [])));
      if (services.size) el('h2', 'Catalog services to add to the config', more);
      for (const { service, category } of services.values()) {
        el('p', `${service?.label ?? ''}: add to the services of the category "${category}"`, more);
        el('pre', JSON.stringify(service, null, 2), more);
      }
      if (catalog == 'unavailable') el('p', 'The service catalog could not be fetched: findings are not named after catalog services (the console says why).', more);
    },
    remove() {
      host?.remove();
      host = undefined;
    },
  };
}
