/**
 * A choice that would grant what Global Privacy Control refused needs the
 * visitor's explicit confirmation (CCPA §7025(c)(3)); the banner and the
 * dialog ask the same question (kit-element.ts) with the same two answers.
 */
import type { ChoiceInput } from '../../gate/core/choice.js';
import type { ConsentKit } from '../../gate/core/consent-kit.js';

/** A choice for every category and service of the config, each `on(id)`. */
export function choiceOf(kit: ConsentKit, on: (id: string) => boolean): ChoiceInput {
  const categories: Record<string, boolean> = {};
  const services: Record<string, boolean> = {};
  for (const c of kit.config.categories) {
    categories[c.id] = on(c.id);
    for (const s of c.services ?? []) services[s.id] = on(s.id);
  }
  return { categories, services };
}

/** Whether `wishes` grants a sale/share category GPC refused (one confirmed earlier is not asked again). */
export const overridesGpc = (kit: ConsentKit, wishes: ChoiceInput): boolean =>
  kit.gpc && kit.config.categories.some((c) => c.saleOrShare && wishes.categories?.[c.id] && !kit.getState().categories[c.id]);

/** `wishes` with the sale/share categories refused (their services follow them): the opt-out kept. */
export function keepOptOut(kit: ConsentKit, wishes: ChoiceInput): ChoiceInput {
  const categories = { ...wishes.categories };
  for (const c of kit.config.categories) if (c.saleOrShare) categories[c.id] = false;
  return { ...wishes, categories };
}
