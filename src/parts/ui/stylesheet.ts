/**
 * `css`: stylesheets for the elements' shadow roots, on the platform's own
 * constructable stylesheets. Lit's tag of the same name ships with its element
 * classes (in `lit`'s main module, which brings `LitElement` along); these
 * elements render with `lit-html` alone, so they take their styles this way.
 *
 * As with Lit's tag, only other `css` sheets may be placed in a sheet (`${DARK}`):
 * text from anywhere else could carry CSS nobody reviewed.
 */

/** A stylesheet written with `css`, adopted by each shadow root that lists it. */
export class Stylesheet {
  private sheet?: CSSStyleSheet;

  constructor(readonly cssText: string) {}

  /** One `CSSStyleSheet` for every shadow root, made on first use. */
  get styleSheet(): CSSStyleSheet {
    if (!this.sheet) {
      this.sheet = new CSSStyleSheet();
      this.sheet.replaceSync(this.cssText);
    }
    return this.sheet;
  }
}

/** A stylesheet from a template literal; values must be other stylesheets. */
export function css(strings: TemplateStringsArray, ...values: Stylesheet[]): Stylesheet {
  let text = strings[0];
  values.forEach((value, i) => {
    if (!(value instanceof Stylesheet)) throw new TypeError('css: only stylesheets made with css can be placed in one');
    text += value.cssText + strings[i + 1];
  });
  return new Stylesheet(text);
}
