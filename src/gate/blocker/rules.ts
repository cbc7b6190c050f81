/**
 * Pure decisions the blocker makes from the config and state: which ids an
 * expression needs, which cookies to delete, and what "always allow" grants.
 */
import type { ChoiceInput, ConsentState } from '../core/choice.js';
import type { CategoryConfig, ResolvedConfig } from '../core/config.js';

/** The ids an expression needs granted (its terms without `!`). */
export const positiveIds = (expr: string): string[] => expr.split(/[\s,]+/).filter((t) => t && !t.startsWith('!'));

/** The category holding a service id, or the category with that id. */
export const categoryOf = (config: ResolvedConfig, id: string): CategoryConfig | undefined =>
  config.categories.find((c) => c.id == id || c.services?.some((s) => s.id == id));

/** Label of a category, falling back to its id. */
export const labelOf = (cat: CategoryConfig): string => cat.label ?? cat.id.charAt(0).toUpperCase() + cat.id.slice(1);

/**
 * Cookie name patterns to delete when `ids` are withdrawn: a category's own
 * cookies and those of its services, a service's cookies.
 */
export function cookiePatterns(config: ResolvedConfig, ids: string[]): string[] {
  // Repeats do no harm: a cookie is deleted once whatever matches it.
  const out: string[] = [];
  for (const c of config.categories)
    for (const item of [c, ...(c.services ?? [])])
      if (ids.includes(c.id) || ids.includes(item.id)) for (const k of item.cookies ?? []) out.push(k.name);
  return out.filter(Boolean);
}

/**
 * The choice "always allow" stores for an element marked `expr`: what is
 * granted now, plus the refused ids it needs. A newly granted category
 * brings its services along, unless the element asked for one service only.
 */
export function grantsFor(config: ResolvedConfig, state: ConsentState, expr: string): ChoiceInput {
  const categories = { ...state.categories };
  const services = { ...state.services };
  for (const id of positiveIds(expr)) {
    const cat = categoryOf(config, id);
    if (!cat) continue;
    const wasOn = categories[cat.id];
    categories[cat.id] = true;
    for (const s of cat.services ?? []) if (!wasOn) services[s.id] = cat.id == id;
    if (cat.id != id) services[id] = true;
  }
  return { categories, services };
}
