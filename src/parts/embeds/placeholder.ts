/**
 * The stand-in for a blocked iframe: says what is blocked and which category
 * it needs, and offers "load this once" and "always allow". Plain DOM (the
 * gate bundle has no Lit); config text only ever goes in as textContent.
 */


export const fill = (s: string, vars: Record<string, string>): string => s.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

/** What the visitor would see: the iframe's title, else the host it loads from. */
export function nameOf(el: Element): string {
  const title = el.getAttribute('title')?.trim();
  if (title) return title;
  try {
    return new URL(el.getAttribute('data-src') ?? '', location.href).hostname;
  } catch {
    return '';
  }
}

/** Appends a new `tag` element to `parent`, with inline `style` (when given) and `text`. */
const add = <K extends keyof HTMLElementTagNameMap>(parent: Element, tag: K, style = '', text = '') => {
  const el = document.createElement(tag);
  if (style) el.style.cssText = style;
  el.textContent = text;
  parent.append(el);
  return el;
};

/**
 * Builds the placeholder. `category` is null when no refused category is
 * named (only "load this once" is offered then).
 */
export function createPlaceholder(
  el: Element,
  texts: Record<string, string>,
  category: string | null,
  onOnce: () => void,
  onAllow: () => void,
): HTMLElement {
  const vars = { name: nameOf(el) || texts['placeholder.name'], category: category ?? '' };
  const box = document.createElement('div');
  box.setAttribute('role', 'group');
  box.setAttribute(`data-consentkit`, 'placeholder');
  const message = fill(texts['placeholder.blocked'], vars);
  box.setAttribute('aria-label', message);
  const size = (attr: string) => {
    const v = el.getAttribute(attr) ?? '';
    return /^\d+$/.test(v) ? `${v}px` : 'auto';
  };
  box.style.cssText =
    `box-sizing:border-box;display:inline-flex;flex-direction:column;justify-content:center;gap:.5em;max-width:100%;padding:1em;` +
    `width:${size('width')};min-height:${size('height')};background:#f3f3f3;color:#1a1a1a;border:1px solid #6b6b6b;font:inherit`;
  add(box, 'p', 'margin:0', message);
  const row = add(box, 'div');
  const button = (key: string, onClick: () => void) => {
    const b = add(
      row,
      'button',
      'min-height:24px;min-width:24px;margin:.25em .5em .25em 0;padding:.4em .9em;font:inherit;color:#fff;background:#1a1a1a;border:1px solid #1a1a1a;border-radius:4px;cursor:pointer',
      fill(texts[key], vars),
    );
    b.type = 'button';
    b.addEventListener('click', onClick);
  };
  button('placeholder.once', onOnce);
  if (category) button('placeholder.allow', onAllow);
  return box;
}
