/**
 * A choice that would grant what Global Privacy Control refused needs the
 * visitor's explicit confirmation (CCPA §7025(c)(3)); the banner and the
 * dialog ask the same question with the same two answers.
 */
import { html } from 'lit';
import type { ChoiceInput } from '../core/choice.js';
import type { ConsentKit } from '../core/consent-kit.js';
import type { Texts } from './texts.js';

/** Every category and service granted: what "Accept all" asks for. */
export function everything(kit: ConsentKit): ChoiceInput {
  const categories: Record<string, boolean> = {};
  const services: Record<string, boolean> = {};
  for (const c of kit.config.categories) {
    categories[c.id] = true;
    for (const s of c.services ?? []) services[s.id] = true;
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

/** The question, with "keep my opt-out" first: it gets focus, so a stray Enter keeps the opt-out. */
export const gpcQuestion = (t: Texts, keep: () => void, allow: () => void) =>
  html`<div class="buttons" part="buttons gpc-confirm" role="group" aria-labelledby="gpcq"><p id="gpcq" class="gpc wide">${t['gpc.conflict']}</p>
<button class="btn" part="gpc-keep" @click=${keep}>${t['gpc.keep']}</button><button class="btn alt" part="gpc-allow" @click=${allow}>${t['gpc.allow']}</button></div>`;

/** Moves focus to the safe answer once the question is shown. */
export const focusKeep = (root: ParentNode): void => {
  root.querySelector<HTMLElement>('[part~=gpc-keep]')?.focus();
};
