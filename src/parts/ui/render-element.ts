/**
 * The part of `LitElement` the banner and the dialog use, on Lit's own template
 * renderer (`lit-html`): a shadow root with the class's `static styles`, properties
 * that re-render on change, one render a microtask after any number of changes,
 * `updated(changed)` after it and `updateComplete`. The rest of `LitElement`
 * (attributes, converters, controllers, the update lifecycle's other hooks) is
 * about 7 KB minified the first visit would download before the banner is
 * clickable, for features neither element uses.
 */
import type { Stylesheet } from './stylesheet.js';
import { render } from 'lit/html.js';

/** Options of a property in `static properties`; only what the elements use. */
export interface PropertyOptions {
  /** Internal state (the manifest analyzer leaves it out of the public API). */
  state?: boolean;
  /** Only `false` is supported: no property here reflects an attribute. */
  attribute?: boolean;
}

/** Classes whose `static properties` have their accessors already. */
const finalized = new WeakSet();

export abstract class RenderElement extends HTMLElement {
  /** The element's stylesheets, adopted by its shadow root. */
  static styles: Stylesheet[] = [];
  /** Properties that re-render the element when set to another value; as in Lit. */
  static properties: Record<string, PropertyOptions> = {};

  /** The shadow root the template renders into. */
  readonly renderRoot: ShadowRoot;
  /** Resolves once the render asked for last is done. */
  updateComplete: Promise<void> = Promise.resolve();

  /** The values of the reactive properties. */
  private values = new Map<string, unknown>();
  /** Names changed since the last render, with their values before; undefined when no render waits. */
  private changed?: Map<string, unknown>;
  /** Renders wait for the first connection (as Lit's do): `updated` may then reach the document. */
  private connected = false;

  constructor() {
    super();
    const element = this.constructor as typeof RenderElement;
    if (!finalized.has(element)) RenderElement.finalize(element);
    this.renderRoot = this.attachShadow({ mode: 'open' });
    this.renderRoot.adoptedStyleSheets = element.styles.map((sheet) => sheet.styleSheet);
  }

  /** Renders in a microtask, once for every change made until then; `name` changed from `previous`. */
  requestUpdate(name?: string, previous?: unknown): void {
    const first = !this.changed;
    this.changed ??= new Map();
    if (name !== undefined && !this.changed.has(name)) this.changed.set(name, previous);
    if (first && this.connected)
      this.updateComplete = Promise.resolve().then(() => {
        this.update();
      });
  }

  connectedCallback(): void {
    this.connected = true;
    if (this.changed) {
      // Changes made before the element was connected render now.
      const changed = this.changed;
      this.changed = undefined;
      for (const [name, previous] of changed) this.requestUpdate(name, previous);
    }
    this.requestUpdate();
  }

  disconnectedCallback(): void {
    // Nothing to stop: subclasses unsubscribe from what they listen to.
  }

  /** After each render, with the properties that changed and their values before. */
  protected updated?(changed: Map<string, unknown>): void;

  /** What the shadow root shows: a lit-html template, `nothing`, …. */
  abstract render(): unknown;

  private update() {
    const changed = this.changed ?? new Map<string, unknown>();
    this.changed = undefined;
    render(this.render(), this.renderRoot, { host: this });
    this.updated?.(changed);
  }

  /** Sets a reactive property and asks for a render when it changed (as Lit, by `Object.is`). */
  private setProperty(name: string, value: unknown): void {
    const previous = this.values.get(name);
    this.values.set(name, value);
    if (!Object.is(previous, value)) this.requestUpdate(name, previous);
  }

  /** Makes accessors for the `static properties` of `element` and of every class it extends. */
  private static finalize(element: typeof RenderElement): void {
    for (let c = element; c !== RenderElement && !finalized.has(c); c = Object.getPrototypeOf(c) as typeof RenderElement) {
      finalized.add(c);
      if (!Object.hasOwn(c, 'properties')) continue;
      for (const name of Object.keys(c.properties))
        Object.defineProperty(c.prototype, name, {
          configurable: true,
          get(this: RenderElement) {
            return this.values.get(name);
          },
          set(this: RenderElement, value: unknown) {
            this.setProperty(name, value);
          },
        });
    }
  }
}
