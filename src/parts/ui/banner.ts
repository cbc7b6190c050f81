/**
 * The first layer: title, text, privacy link and three buttons of which
 * accept and reject look exactly alike.
 */
import { css } from './stylesheet.js';
import { html, nothing } from 'lit/html.js';
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import type { Locale } from './i18n.js';
import { KitElement } from './kit-element.js';
import type { UiOptions } from '../diagnostics/ui-options.js';
import { base } from './styles.js';

/**
 * @summary The first-layer consent banner (bottom bar, corner box or centred modal).
 *
 * @attr {"auto" | "light" | "dark"} theme - The config's `ui.theme`, set when the UI mounts the element: `dark` (or `auto` in a dark colour scheme) switches the custom properties' defaults to the dark theme.
 *
 * @csspart banner - The panel (a `<section>`, or a `<dialog>` in the modal layout).
 * @csspart title - The heading.
 * @csspart text - The explanation.
 * @csspart privacy-link - The link to the privacy policy.
 * @csspart gpc - The "Opt-Out Request Honored" notice.
 * @csspart gpc-confirm - The question shown when a choice would override Global Privacy Control.
 * @csspart gpc-allow - Its button that grants anyway (recorded with `gpcConfirmed`).
 * @csspart gpc-keep - Its button that keeps the opt-out.
 * @csspart buttons - The row of buttons.
 * @csspart accept-all - The accept-all button.
 * @csspart reject-all - The reject-all button.
 * @csspart preferences - The button that opens the preferences dialog.
 * @csspart close - The × button.
 *
 * @cssprop [--consentkit-bg=#fff] - Background (dark theme: #1c1f26).
 * @cssprop [--consentkit-fg=#1f2328] - Text colour (dark theme: #f3f4f6).
 * @cssprop [--consentkit-muted=#4b5563] - Secondary text colour (dark theme: #c3c8d0).
 * @cssprop [--consentkit-accent=#1d4ed8] - Buttons, links and switches (dark theme: #8ab4f8).
 * @cssprop [--consentkit-on-accent=#fff] - Text on accent-coloured buttons (dark theme: #0b1d3a).
 * @cssprop [--consentkit-border=#6b7280] - Borders and switch outlines (dark theme: #9ca3af).
 * @cssprop [--consentkit-focus=var(--consentkit-accent)] - Focus ring.
 * @cssprop [--consentkit-radius=10px] - Corner radius.
 * @cssprop [--consentkit-font=system-ui, sans-serif] - Font family.
 * @cssprop [--consentkit-font-size=15px] - Base font size.
 * @cssprop [--consentkit-space=16px] - Padding and gaps.
 * @cssprop [--consentkit-shadow=0 4px 24px #0005] - Panel shadow.
 * @cssprop [--consentkit-z-index=2147483000] - Stacking order.
 */
export class ConsentkitBanner extends KitElement {
  static override styles = [
    base,
    css`
.panel {
  position: fixed;
  margin: 0;
}
.bar {
  inset: auto 0 0;
  border-radius: 0;
  border-width: 1px 0 0;
}
.bar>div {
  max-width: 72rem;
  margin: auto;
  display: flex;
  flex-wrap: wrap;
  gap: 0 calc(var(--space)*2);
  align-items: center;
}
.bar .copy {
  flex: 1 1 28rem;
}
.bar .buttons {
  flex: 1 1 20rem;
}
.box {
  inset: auto 16px 16px;
  inset-inline-start: auto;
  width: min(26rem,calc(100vw - 32px));
}
dialog.panel {
  inset: 0;
  margin: auto;
  width: min(34rem,calc(100vw - 32px));
}
/* On a small screen the bar and the box keep to 40 % of the height: the text scrolls inside, the three buttons stay in view below it. */
@media (max-width:40rem),(max-height:30rem) {
  .bar,.box {
    display: flex;
    flex-direction: column;
    max-height: 40dvh;
    padding-block: 12px;
  }
  .bar>div,.box>div {
    display: flex;
    flex-direction: column;
    flex-wrap: nowrap;
    align-items: stretch;
    min-height: 0;
    width: 100%;
  }
  .buttons {
    flex: none;
    margin-top: 8px;
  }
/* A shadow at the edge where more text waits: covered by the background (which scrolls with the text) once the end is reached. */
  .copy {
    flex: 1 1 auto;
    min-height: 0;
    overflow: auto;
    background: linear-gradient(transparent,var(--bg) 70%) bottom/100% 24px no-repeat local, radial-gradient(farthest-side at 50% 100%,#0005,transparent) bottom/100% 14px no-repeat scroll;
  }
}
`,
  ];

  /** The consent kit the banner reads and decides through; the UI part sets it (with `locale` and `options`) when it mounts the element. */
  declare kit?: ConsentKit;
  /** Language, direction and texts to show, in the language the UI picked. */
  declare locale?: Locale;
  /** The config's `ui` options, with defaults filled in. */
  declare options?: UiOptions;
  /**
   * Starts fetching the preferences dialog (a part of its own): called when the
   * pointer or focus reaches the Preferences button, so the click finds it ready.
   * Set by the UI entry.
   * @internal
   */
  declare preloadPreferences?: () => void;

  protected source = 'banner' as const;
  private padding?: string;
  private resize = new ResizeObserver(() => {
    this.pad();
  });

  private get panel() {
    return this.renderRoot.querySelector<HTMLElement>('.panel');
  }

  /** Keeps the page scrollable above a non-modal banner. */
  private pad() {
    const s = document.body.style;
    const h = this.open && this.options?.layout != 'modal' ? (this.panel?.offsetHeight ?? 0) : 0;
    if (h) {
      this.padding ??= s.paddingBottom;
      s.paddingBottom = `${h}px`;
    } else if (this.padding !== undefined) {
      s.paddingBottom = this.padding;
      this.padding = undefined;
    }
  }

  /** Scrolls a page element that got focus out from behind the banner (WCAG 2.4.11). */
  private reveal = (e: FocusEvent) => {
    const panel = this.panel;
    if (!panel || this.options?.layout == 'modal' || e.target == this || !(e.target instanceof Element)) return;
    const r = e.target.getBoundingClientRect();
    const b = panel.getBoundingClientRect();
    if (r.bottom > b.top && r.top < b.bottom && r.right > b.left && r.left < b.right) scrollBy(0, r.bottom - b.top + 8);
  };

  protected reject = () => {
    this.kit?.rejectAll('banner');
  };

  /** × and Escape: a recorded refusal, or nothing at all. Never a grant. */
  protected close = (e?: Event) => {
    e?.preventDefault();
    if (this.options?.closeAction == 'dismiss') this.open = false;
    else this.kit?.set({}, 'banner', 'close');
  };

  private esc = (e: KeyboardEvent) => {
    if (e.key == 'Escape') this.close(e);
  };

  private preferences = () => {
    this.kit?.showPreferences();
  };

  protected override decided() {
    this.open = false;
    this.asking = undefined;
  }

  /** Shows the banner. */
  show(): void {
    this.open = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('focusin', this.reveal);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('focusin', this.reveal);
    this.resize.disconnect();
    this.open = false;
    this.pad();
  }

  protected override updated(changed: Map<string, unknown>): void {
    super.updated(changed);
    this.resize.disconnect();
    const panel = this.panel;
    if (panel instanceof HTMLDialogElement && !panel.open) panel.showModal();
    // In a task of its own: measuring here would force layout into the task that
    // rendered the banner, and an observer started here reports in the frame that
    // first shows it, where the padding would lay the whole page out again. (The
    // observer does not run while the page is hidden: `pad()` measures once anyway.)
    setTimeout(() => {
      this.pad();
      if (panel && panel == this.panel) this.resize.observe(panel);
    });
  }

  override render() {
    const { kit, locale, options } = this;
    if (!this.open || !kit || !locale || !options) return nothing;
    const t = locale.texts;
    const body = html`<div>
<div class="copy">
<h2 id="title" part="title">${t['banner.title']}</h2>
<p part="text">${t['banner.text']} ${options.closeAction == 'reject' ? t['banner.closeNote'] : ''}
${options.privacyPolicyUrl ? html`<a part="privacy-link" href=${options.privacyPolicyUrl}>${t['banner.privacyPolicy']}</a>` : nothing}</p>
${this.notice(kit, t)}
</div>
${this.buttons(t, 'preferences', t['banner.preferences'], this.preferences, this.preloadPreferences)}
</div>`;
    return options.layout == 'modal'
      ? html`<dialog class="panel" part="banner" lang=${locale.lang} dir=${locale.dir} aria-labelledby="title" @cancel=${this.close}>${body}</dialog>`
      : html`<section class="panel ${options.layout}" part="banner" lang=${locale.lang} dir=${locale.dir} aria-labelledby="title" @keydown=${this.esc}>${body}</section>`;
  }
}
