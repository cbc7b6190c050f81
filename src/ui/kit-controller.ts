/** Connects an element to the consent kit: re-renders on changes and decisions. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConsentKit } from '../core/consent-kit.js';

/** An element showing the kit. */
export interface KitHost extends ReactiveControllerHost {
  kit?: ConsentKit;
}

export class KitController implements ReactiveController {
  private off: (() => void)[] = [];

  constructor(
    private host: KitHost,
    /** Called after every decision made in this tab. */
    private decided?: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const { kit } = this.host;
    if (!kit) return;
    const update = () => {
      this.host.requestUpdate();
    };
    this.off = [
      kit.onChange(update),
      kit.onDecision(() => {
        this.decided?.();
        update();
      }),
    ];
  }

  hostDisconnected(): void {
    for (const off of this.off) off();
    this.off = [];
  }
}

/** Global Privacy Control refused a sale/share category: the law asks us to say so. */
export const gpcHonored = (kit: ConsentKit): boolean =>
  kit.gpc && kit.config.categories.some((c) => c.saleOrShare && !kit.getState().categories[c.id]);
