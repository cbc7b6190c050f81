/**
 * The second layer: every category with its switch, services and cookies,
 * and the visitor's consent receipt.
 */
import { css } from '../ui/stylesheet.js';
import { html, nothing } from 'lit/html.js';
import type { CategoryConfig, CookieInfo } from '../../gate/core/config.js';
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import type { Locale } from '../ui/i18n.js';
import { choiceOf } from '../ui/gpc.js';
import { KitElement } from '../ui/kit-element.js';
import type { UiOptions } from '../diagnostics/ui-options.js';
import { base } from '../ui/styles.js';
import type { TextKey, Texts } from '../ui/texts.js';

/**
 * A date and time as the visitor's language writes them (`Intl.DateTimeFormat`: long
 * date, short time); a tag Intl refuses (one from `config.texts`) gets the browser's format.
 */
export function formatDate(date: Date, lang: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(lang, options).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}

/** Where focus was, looking inside shadow roots (the floating button lives in one). */
const deepActive = (): HTMLElement | null => {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el as HTMLElement | null;
};

/**
 * Custom properties: the same `--consentkit-*` as `<consentkit-banner>`.
 *
 * @summary The preferences dialog (native `<dialog>` opened with `showModal()`).
 *
 * @attr {"auto" | "light" | "dark"} theme - The config's `ui.theme`, set when the UI mounts the element: `dark` (or `auto` in a dark colour scheme) switches the custom properties' defaults to the dark theme.
 *
 * @csspart dialog - The `<dialog>`.
 * @csspart title - The heading.
 * @csspart gpc - The "Opt-Out Request Honored" notice.
 * @csspart gpc-confirm - The question shown when a choice would override Global Privacy Control.
 * @csspart gpc-allow - Its button that grants anyway (recorded with `gpcConfirmed`).
 * @csspart gpc-keep - Its button that keeps the opt-out.
 * @csspart receipt - Consent id and date of the stored choice.
 * @csspart category - One category's section.
 * @csspart service - One service's row.
 * @csspart toggle - Every switch.
 * @csspart cookies - A table of cookies (on screens narrower than 30rem, one stack of label and value rows per cookie).
 * @csspart buttons - The row of buttons.
 * @csspart accept-all - The accept-all button.
 * @csspart reject-all - The reject-all button.
 * @csspart save - The save-choices button.
 * @csspart close - The × button.
 * @csspart status - The "saved" confirmation (`role=status`).
 */
export class ConsentkitPreferences extends KitElement {
  static override styles = [
    base,
    css`
dialog.panel {
  width: min(44rem,calc(100vw - 16px));
  max-height: calc(100dvh - 16px);
}
[part=buttons] {
  position: sticky;
  bottom: calc(-1*var(--space));
  background: var(--bg);
  padding-block: 8px var(--space);
  margin-bottom: calc(-1*var(--space));
}
[part=category] {
  border-top: 1px solid var(--line);
  padding-top: calc(var(--space)/2);
  margin-bottom: var(--space);
}
.row {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: var(--space);
  margin-bottom: 4px;
}
h3 {
  font-size: 1.05em;
  margin: 0;
}
[part=service] {
  margin-inline-start: var(--space);
}
input {
  appearance: none;
  flex: none;
  position: relative;
  width: 44px;
  height: 24px;
  margin: 0;
  border: 2px solid var(--line);
  border-radius: 12px;
  background: var(--bg);
  cursor: pointer;
}
input::before {
  content: '';
  position: absolute;
  top: 2px;
  inset-inline-start: 2px;
  width: 16px;
  height: 16px;
  border-radius: 50%;
  background: var(--line);
  transition: translate .15s;
}
input:checked {
  background: var(--accent);
  border-color: var(--accent);
}
input:checked::before {
  background: var(--consentkit-on-accent,var(--k-on-accent));
  translate: 20px;
}
[dir=rtl] input:checked::before {
  translate: -20px;
}
input:disabled {
  cursor: not-allowed;
  opacity: .75;
}
summary {
  cursor: pointer;
  min-height: 24px;
}
table {
  width: 100%;
  border-collapse: collapse;
  font-size: .85em;
}
td:first-child {
  word-break: break-all;
}
th,td {
  text-align: start;
  vertical-align: top;
  padding: 4px 3px;
  border-bottom: 1px solid var(--line);
}
@media (max-width:30rem) {
  [part=service] {
    margin-inline-start: 0;
  }
/* Four columns do not fit: each cookie becomes a stack of label and value rows. */
  table, tbody, tr, td {
    display: block;
  }
  thead {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  tr {
    padding-block: 4px;
    border-bottom: 1px solid var(--line);
  }
  td {
    display: grid;
    grid-template-columns: 9em minmax(0,1fr);
    gap: 8px;
    padding-block: 1px;
    border: 0;
  }
/* The label is the column's heading, already announced: shown, not read twice. */
  td::before {
    content: attr(data-label) / "";
    font-weight: 600;
  }
/* Beside its label, whatever its own direction. */
  td>bdi {
    justify-self: start;
  }
}
.status {
  position: fixed;
  bottom: 16px;
  inset-inline: 16px;
  width: fit-content;
  margin: auto;
  padding: 8px 16px;
}
.status:empty {
  display: none;
}
`,
  ];

  static override properties = {
    draft: { state: true },
    status: { state: true },
  };

  private declare draft: Record<string, boolean>;
  /** What the status line says: the "saved" confirmation, for a few seconds. */
  private declare status?: string;
  /** The consent kit the dialog reads and decides through; the UI part sets it (with `locale` and `options`) when it mounts the element. */
  declare kit?: ConsentKit;
  /** Language, direction and texts to show, in the language the UI picked. */
  declare locale?: Locale;
  /** The config's `ui` options, with defaults filled in. */
  declare options?: UiOptions;

  protected source = 'preferences' as const;

  private get dialog() {
    return this.renderRoot.querySelector('dialog');
  }

  private opener?: HTMLElement | null;
  private timer?: ReturnType<typeof setTimeout>;

  private label(c: { id: string; label?: string }, field: 'label' | 'description'): string {
    return c[field as 'label'] ?? this.locale?.texts[`category.${c.id}.${field}` as TextKey] ?? (field == 'label' ? c.id : '');
  }

  private toggle(id: string, on: boolean, category?: CategoryConfig) {
    const draft = { ...this.draft, [id]: on };
    // A category's switch carries its services; a service switched on needs its category.
    if (category) for (const s of category.services ?? []) draft[s.id] = on;
    else if (on) {
      const cat = this.kit?.config.categories.find((c) => c.services?.some((s) => s.id == id));
      if (cat) draft[cat.id] = true;
    }
    this.draft = draft;
  }

  protected override done() {
    this.asking = undefined;
    this.open = false;
    this.dialog?.close();
    clearTimeout(this.timer);
    this.status = this.locale?.texts['prefs.saved'];
    this.timer = setTimeout(() => {
      this.status = undefined;
    }, 6000);
  }

  private save = () => {
    if (this.kit) this.decide(choiceOf(this.kit, (id) => this.draft[id] ?? false), 'custom');
  };

  protected reject = () => {
    const kit = this.kit;
    if (!kit) return;
    const state = kit.getState();
    // Taking back what was granted is a withdrawal, and is recorded as one.
    if (state.decided && kit.config.categories.some((c) => !c.required && state.categories[c.id])) kit.withdraw('preferences');
    else kit.rejectAll('preferences');
    this.done();
  };

  protected close = () => {
    this.dialog?.close();
  };

  private closed = (e: Event) => {
    // Chromium fires `close` at the next frame: by then showPreferences() may have
    // opened the dialog again (a new one, or this one reopened). Not this close.
    const dialog = this.dialog;
    if (this.open && (e.target != dialog || dialog?.open)) return;
    this.open = false;
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
  };

  /** Opens the dialog with the current choice. */
  show(): void {
    const kit = this.kit;
    if (!kit || this.open) return;
    const state = kit.getState();
    // Reopened before the last close was handled: focus still goes back where it was before.
    this.opener ??= deepActive();
    this.draft = { ...state.categories, ...state.services };
    this.status = undefined;
    this.asking = undefined;
    this.open = true;
  }

  protected override updated(changed: Map<string, unknown>): void {
    // Rendered only while open; shown when opened, and only then: a rendering after
    // Escape, before the close event arrives, must not open it again.
    const dialog = this.dialog;
    if (changed.has('open') && dialog && !dialog.open) dialog.showModal();
    super.updated(changed);
  }

  private cookies(t: Texts, list: CookieInfo[] = [], by?: string) {
    if (!list.length) return nothing;
    const cols = ['name', 'provider', 'purpose', 'duration'] as const;
    // The roles are explicit: on narrow screens the table is laid out as blocks,
    // and some browsers drop the semantics of a table that is not displayed as one.
    // Each value keeps its own direction inside a right-to-left page: a cookie name
    // is always left to right (`_ga*`, not `*ga_`), the rest as its first letter says.
    return html`<details>
      <summary>${t['prefs.cookies']} (${list.length})</summary>
      <table part="cookies" role="table">
        <thead role="rowgroup"><tr role="row">${cols.map((c) => html`<th scope="col" role="columnheader">${t[`cookie.${c}`]}</th>`)}</tr></thead>
        <tbody role="rowgroup">${list.map(
          (k) => html`<tr role="row">${cols.map((c) => {
            const value = k[c] ?? (c == 'provider' ? by : '');
            return html`<td role="cell" data-label=${t[`cookie.${c}`]}><bdi dir=${c == 'name' ? 'ltr' : 'auto'}>${value}</bdi></td>`;
          })}</tr>`,
        )}</tbody>
      </table>
    </details>`;
  }

  /** A label and its switch; a category's label is a heading. */
  private row(id: string, label: string, category?: CategoryConfig) {
    const required = !!category?.required;
    const heading = html`<label for="s-${id}">${label}</label>`;
    return html`<div class="row">
      ${category ? html`<h3>${heading}</h3>` : heading}
      <input type="checkbox" role="switch" id="s-${id}" part="toggle" data-id=${id}
        .checked=${required || (this.draft[id] ?? false)} ?disabled=${required}
        @change=${(e: Event) => { this.toggle(id, (e.target as HTMLInputElement).checked, category); }} />
    </div>`;
  }

  override render() {
    const { kit, locale } = this;
    if (!kit || !locale) return nothing;
    const t = locale.texts;
    const choice = kit.getState().choice;
    // One template for both states: the live region must stay the same node, or
    // screen readers miss the message put in it as the dialog closes.
    return html`${this.open
      ? html`<dialog class="panel" part="dialog" lang=${locale.lang} dir=${locale.dir} aria-labelledby="ptitle"
        @close=${this.closed}>
        <h2 id="ptitle" part="title">${t['prefs.title']}</h2>
        <p>${t['prefs.text']}</p>
        ${this.notice(kit, t)}
        ${kit.config.categories.map(
          (c) => html`<section part="category">
            ${this.row(c.id, this.label(c, 'label'), c)}
            <p class="muted" dir="auto">${this.label(c, 'description')}</p>
            ${this.cookies(t, c.cookies)}
            ${(c.services ?? []).map(
              (s) => html`<div part="service">
                ${this.row(s.id, s.label ?? s.id)}
                ${s.description ? html`<p class="muted" dir="auto">${s.description}</p>` : nothing}
                ${this.cookies(t, s.cookies, s.label)}
              </div>`,
            )}
          </section>`,
        )}
        ${choice
          ? html`<p class="muted" part="receipt">
              ${t['prefs.receipt']}: <code dir="ltr">${choice.id}</code> · ${t['prefs.date']}:
              <time datetime=${new Date(choice.updatedAt).toISOString()}>${formatDate(new Date(choice.updatedAt), locale.lang)}</time>
            </p>`
          : nothing}
        ${this.buttons(t, 'save', t['prefs.save'], this.save)}
      </dialog>`
      : nothing}<p class="panel status" part="status" role="status">${this.status}</p>`;
  }
}
