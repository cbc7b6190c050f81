/**
 * What the banner and the dialog share: the kit, texts and options they are
 * given, re-rendering on the kit's changes, the question asked before a choice
 * overrides Global Privacy Control, and the row of buttons with ×.
 */
import { html, nothing } from 'lit/html.js';
import type { ChoiceInput, ConsentAction, ConsentSource } from '../../gate/core/choice.js';
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { choiceOf, keepOptOut, overridesGpc } from './gpc.js';
import type { Locale } from './i18n.js';
import { gpcHonored } from './kit-controller.js';
import { RenderElement, type PropertyOptions } from './render-element.js';
import type { UiOptions } from '../diagnostics/ui-options.js';
import type { Texts } from './texts.js';

/** Registers `element` as `name` unless it is: the npm copy and the tag copy may both be on a page. */
export const define = (name: string, element: CustomElementConstructor): void => {
  if (!customElements.get(name)) customElements.define(name, element);
};

export abstract class KitElement extends RenderElement {
  static override properties: Record<string, PropertyOptions> = {
    open: { state: true },
    asking: { state: true },
    kit: { attribute: false },
    locale: { attribute: false },
    options: { attribute: false },
  };

  protected declare open: boolean;
  /** A choice that would override Global Privacy Control, waiting for the visitor's confirmation. */
  protected declare asking?: { wishes: ChoiceInput; action: ConsentAction };
  declare kit?: ConsentKit;
  declare locale?: Locale;
  declare options?: UiOptions;

  /** Unsubscribes from the kit. */
  private off?: (() => void)[];

  /** Where this element's decisions are recorded as coming from. */
  protected abstract source: ConsentSource;
  protected abstract reject: () => void;
  /** The × button. */
  protected abstract close: () => void;
  /** After every decision: made in this tab (this element's or not), or in another tab and adopted here. */
  protected decided?(): void;
  /** After this element recorded a decision. */
  protected done?(): void;

  override connectedCallback(): void {
    super.connectedCallback();
    const kit = this.kit;
    const update = () => {
      this.requestUpdate();
    };
    if (kit)
      this.off = [
        kit.onChange(({ origin, state }) => {
          if (origin == 'remote' && state.decided) this.decided?.();
          update();
        }),
        kit.onDecision(() => {
          this.decided?.();
          update();
        }),
      ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.off ?? []) off();
    this.off = undefined;
  }

  /** `kit.set` as this element's decision. */
  private set(wishes: ChoiceInput, action: ConsentAction) {
    this.kit?.set(wishes, this.source, action);
    this.done?.();
  }

  /** Decides, unless the choice overrides Global Privacy Control: then asks first. */
  protected decide(wishes: ChoiceInput, action: ConsentAction) {
    const kit = this.kit;
    if (!kit) return;
    if (overridesGpc(kit, wishes)) this.asking = { wishes, action };
    else this.set(wishes, action);
  }

  private accept = () => {
    if (this.kit) this.decide(choiceOf(this.kit, () => true), 'accept_all');
  };

  private allow = () => {
    const c = this.asking;
    if (c) this.set({ ...c.wishes, gpcConfirmed: true }, c.action);
  };

  private keep = () => {
    const { kit, asking: c } = this;
    if (kit && c) this.set(keepOptOut(kit, c.wishes), 'custom');
  };

  protected override updated(changed: Map<string, unknown>): void {
    // The safe answer gets focus, so a stray Enter keeps the opt-out.
    if (changed.has('asking') && this.asking) this.renderRoot.querySelector<HTMLElement>('[part~=gpc-keep]')?.focus();
  }

  /** "Opt-Out Request Honored" when Global Privacy Control refused a sale/share category: the law asks us to say so. */
  protected notice(kit: ConsentKit, t: Texts) {
    return gpcHonored(kit) ? html`<p class="gpc" part="gpc">${t['gpc.honored']}</p>` : nothing;
  }

  /**
   * Reject, accept and a third button (or the GPC question with "keep my opt-out"
   * first, in their place), then ×. `hint` runs when the pointer or focus reaches
   * the third button, before it is clicked.
   */
  protected buttons(t: Texts, part: string, label: string, click: () => void, hint?: () => void) {
    return html`${this.asking
      ? html`<div class="buttons" part="buttons gpc-confirm" role="group" aria-labelledby="gpcq"><p id="gpcq" class="gpc wide">${t['gpc.conflict']}</p>
<button class="btn" part="gpc-keep" @click=${this.keep}>${t['gpc.keep']}</button><button class="btn alt" part="gpc-allow" @click=${this.allow}>${t['gpc.allow']}</button></div>`
      : html`<div class="buttons" part="buttons">
<button class="btn" part="reject-all" @click=${this.reject}>${t['banner.rejectAll']}</button>
<button class="btn" part="accept-all" @click=${this.accept}>${t['banner.acceptAll']}</button>
<button class="btn alt" part=${part} @click=${click} @pointerenter=${hint} @focus=${hint}>${label}</button>
</div>`}
<button class="close" part="close" aria-label=${t.close} title=${t.close} @click=${this.close}>×</button>`;
  }
}
