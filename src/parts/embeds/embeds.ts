/**
 * The embeds part (`consentkit-embeds.js`, `window.consentkitParts.embeds`;
 * `consentkit/embeds` for ESM): the placeholders that stand in for blocked
 * iframes, with their texts. The gate loads it only when the page has a marked
 * iframe its consent does not allow yet, so pages without embeds (and visitors
 * who allowed them) never download it.
 */
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { logError } from '../../gate/core/log.js';
import { createPlaceholder, placeholderTexts } from './placeholder.js';
import { categoryOf, grantsFor, labelOf, positiveIds } from '../../gate/blocker/rules.js';

/**
 * Builds the placeholder for `el`, a blocked iframe marked `expr`; the caller
 * puts it in the iframe's place. "Load this once" calls `loadOnce`; "Always
 * allow" stores a choice granting what `expr` needs (source `placeholder`).
 */
export function placeholderFor(kit: ConsentKit, el: Element, expr: string, loadOnce: () => void): HTMLElement {
  const { config } = kit;
  const lang = config.language ?? (document.documentElement.lang || navigator.language || 'en');
  // The first id the visitor has not granted names the category the placeholder asks for.
  const first = positiveIds(expr).find((id) => !kit.isGranted(id));
  const category = first && categoryOf(config, first);
  return createPlaceholder(el, placeholderTexts(config, lang), category ? labelOf(category) : null, loadOnce, () => {
    // Logged like every other blocker error instead of surfacing as an uncaught click handler error.
    try {
      kit.set(grantsFor(config, kit.getState(), expr), 'placeholder');
    } catch (e) {
      logError('blocker:', e);
    }
  });
}
