/**
 * The embeds part (`consentkit-embeds.js`, `window.consentkitParts.embeds`;
 * `consentkit/embeds` for ESM): the placeholders that stand in for blocked
 * iframes, with their texts. The gate loads it only when the page has a marked
 * iframe its consent does not allow yet, so pages without embeds (and visitors
 * who allowed them) never download it.
 */
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { logError } from '../../gate/core/log.js';
import type { ResolvedConfig } from '../../gate/core/config.js';
import { createPlaceholder } from './placeholder.js';
import { categoryOf, grantsFor, labelOf, positiveIds } from '../../gate/blocker/rules.js';
import { loadTexts, type Locale } from '../ui/i18n.js';
import { PLACEHOLDER_EN } from '../ui/texts.js';

/** The placeholder texts and the category labels in the language the UI picks (with that language and its direction), loaded once per config. */
const locales = new WeakMap<ResolvedConfig, Promise<Locale<Record<string, string>>>>();
function localeFor(config: ResolvedConfig): Promise<Locale<Record<string, string>>> {
  let texts = locales.get(config);
  if (!texts) {
    // The categories' labels as the preferences dialog shows them: translated unless the config names them.
    const english: Record<string, string> = { ...PLACEHOLDER_EN };
    for (const c of config.categories) english[`category.${c.id}.label`] = labelOf(c);
    texts = loadTexts(config, english, config.ui.i18nUrl).then((locale) => {
      for (const c of config.categories) if (c.label) locale.texts[`category.${c.id}.label`] = c.label;
      return locale;
    });
    locales.set(config, texts);
  }
  return texts;
}

/**
 * Builds the placeholder for `el`, a blocked iframe marked `expr`, once its
 * texts are loaded; the caller puts it in the iframe's place. "Load this once"
 * calls `loadOnce`; "Always allow" stores a choice granting what `expr` needs
 * (source `placeholder`).
 */
export async function placeholderFor(kit: ConsentKit, el: Element, expr: string, loadOnce: () => void): Promise<HTMLElement> {
  const { config } = kit;
  const { lang, dir, texts } = await localeFor(config);
  // The first id the visitor has not granted names the category the placeholder asks for.
  const first = positiveIds(expr).find((id) => !kit.isGranted(id));
  const category = first && categoryOf(config, first);
  const box = createPlaceholder(el, texts, category ? texts[`category.${category.id}.label`] : null, loadOnce, () => {
    // Logged like every other blocker error instead of surfacing as an uncaught click handler error.
    try {
      kit.set(grantsFor(config, kit.getState(), expr), 'placeholder');
    } catch (e) {
      logError('blocker:', e);
    }
  });
  // In the language of its texts, which need not be the page's.
  box.lang = lang;
  box.dir = dir;
  return box;
}
