/** What the kit says about Global Privacy Control, shared by the gate and the UI bundle (so free of Lit). */
import type { ConsentKit } from '../../gate/core/consent-kit.js';

/** Global Privacy Control refused a sale/share category: the law asks us to say so. */
export const gpcHonored = (kit: ConsentKit): boolean =>
  kit.gpc && kit.config.categories.some((c) => c.saleOrShare && !kit.getState().categories[c.id]);
