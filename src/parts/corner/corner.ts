/**
 * The corner (`consentkit-corner.js`, `consentkit/corner` for ESM): the way back
 * to the preferences with the GPC notice above it (`<consentkit-floating>`), and
 * beside it one-click withdrawal while an opt-in consent is in force
 * (`<consentkit-withdraw>`). Only what applies is in the DOM. Deliberately without
 * Lit; the gate loads this file at idle time, once there is something to show. Its
 * texts come in the language the UI picks, from the same translation file.
 */
import type { ConsentKit } from '../../gate/core/consent-kit.js';
import { logError } from '../../gate/core/log.js';
import { gpcHonored } from '../ui/kit-controller.js';
import { loadTexts, type Locale } from '../ui/i18n.js';
import { CORNER_EN } from '../ui/texts.js';

const ICON_PATH =
  'M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5Zm-4 9a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm5 4a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm-4-8a1 1 0 1 1 0 2 1 1 0 0 1 0-2Z';

/** The cookie icon, built as DOM: `innerHTML` is a Trusted Types sink. */
function icon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICON_PATH);
  svg.append(path);
  return svg;
}

// `bottom` and `inset-inline-start` of the box are set inline (see `place`).
const FLOATING_CSS =
  'div{position:fixed;z-index:2147483000;display:flex;flex-direction:column-reverse;align-items:flex-start;gap:8px;font:600 14px var(--consentkit-font,system-ui)}' +
  'div>*{all:initial;font:inherit;display:flex;align-items:center;gap:8px;padding:10px;border-radius:22px;background:var(--consentkit-accent,#1d4ed8);color:var(--consentkit-on-accent,#fff);box-shadow:0 0 0 2px #fff}' +
  'button{cursor:pointer}p{background:var(--consentkit-bg,#fff);color:var(--consentkit-fg,#1f2328)}:focus-visible{outline:3px solid var(--consentkit-focus,#1d4ed8);outline-offset:2px}svg{width:24px;height:24px;fill:currentColor}';

/**
 * Draws the corner for `kit` and keeps it in step with its state. `open` shows a
 * view of the UI; `preload` starts downloading it while the pointer or focus is on the way.
 */
export function startCorner(kit: ConsentKit, open: (view: 'banner' | 'preferences') => void, preload: () => void): void {
  // The texts in the language the UI picks, from the same translation file.
  loadTexts(kit.config, CORNER_EN, kit.config.ui.i18nUrl).then(
    (locale) => {
      draw(kit, locale, open, preload);
    },
    (e: unknown) => {
      logError('corner:', e);
    },
  );
}

/**
 * The two hosts `draw` puts on the page, for the custom elements manifest
 * (custom-elements-manifest.config.mjs reads these `@tag` blocks): plain elements
 * with an open shadow root, not registered custom elements.
 *
 * @tag consentkit-floating
 * @summary The way back to the preferences in the bottom corner, once the visitor has decided (always in an opt-out region), with the "Opt-Out Request Honored" notice above it while Global Privacy Control is honoured. Shown unless `ui.floatingButton` is false.
 *
 * @csspart floating - The round button with the cookie icon that opens the preferences (named "Privacy settings"; in an opt-out region a pill reading "Do Not Sell or Share My Personal Information").
 * @csspart gpc - The "Opt-Out Request Honored" notice.
 *
 * @cssprop [--consentkit-accent=#1d4ed8] - Background of the button.
 * @cssprop [--consentkit-on-accent=#fff] - Icon and text on the button.
 * @cssprop [--consentkit-bg=#fff] - Background of the notice.
 * @cssprop [--consentkit-fg=#1f2328] - Text of the notice.
 * @cssprop [--consentkit-focus=#1d4ed8] - Focus ring.
 * @cssprop [--consentkit-font=system-ui] - Font family.
 */
/**
 * @tag consentkit-withdraw
 * @summary One-click withdrawal beside the floating button, shown while an opt-in consent is in force (some optional category is granted). Shown unless `ui.withdrawButton` is false.
 *
 * @csspart withdraw - The "Withdraw consent" button.
 *
 * @cssprop [--consentkit-accent=#1d4ed8] - Background of the button.
 * @cssprop [--consentkit-on-accent=#fff] - Text on the button.
 * @cssprop [--consentkit-focus=#1d4ed8] - Focus ring.
 * @cssprop [--consentkit-font=system-ui] - Font family.
 */
function draw(kit: ConsentKit, { lang, dir, texts }: Locale<typeof CORNER_EN>, open: (view: 'banner' | 'preferences') => void, preload: () => void) {
  const config = kit.config;
  const optOut = kit.mode == 'opt-out';
  const make = (name: string, part: string, text: string) => {
    const el = document.createElement(name);
    el.setAttribute('part', part);
    el.lang = lang;
    el.dir = dir;
    el.textContent = text;
    return el;
  };

  const label = texts[optOut ? 'optout.link' : 'floating.label'];
  const floating = make('button', 'floating', '');
  floating.replaceChildren(icon());
  if (optOut) floating.append(label);
  else floating.title = label;
  floating.setAttribute('aria-label', label);
  floating.onclick = () => {
    open('preferences');
  };
  floating.onpointerenter = floating.onfocus = preload;
  const gpc = make('p', 'gpc', texts['gpc.honored']);
  gpc.setAttribute('role', 'status');
  const withdrawButton = make('button', 'withdraw', texts['withdraw.button']);
  withdrawButton.onclick = () => {
    kit.withdraw('page');
  };

  const hosts: Record<string, HTMLElement | undefined> = {};
  /**
   * Reserves room at the end of the page as high as the corner stands (plus 8 px),
   * so the last thing on the page scrolls clear of the buttons. On `<html>`: the
   * banner pads `<body>` while it is open, and the two never undo each other.
   */
  const root = document.documentElement.style;
  const pagePadding = root.paddingBottom;
  const reserve = () => {
    let top = 0;
    for (const host of Object.values(hosts)) {
      const box = host?.shadowRoot?.firstChild as HTMLElement | undefined;
      if (box) top = Math.max(top, innerHeight - box.getBoundingClientRect().top);
    }
    root.paddingBottom = top ? `calc(${pagePadding || '0px'} + ${Math.ceil(top) + 8}px)` : pagePadding;
  };
  const resize = new ResizeObserver(reserve);
  /** Puts the `pieces` that are on into host `name`, in order and in place (focus stays), or removes the host. */
  const place = (name: string, pieces: [HTMLElement, boolean][], bottom: number, start: number) => {
    let host = hosts[name];
    if (!pieces.some(([, on]) => on)) {
      host?.remove();
      return (hosts[name] = undefined);
    }
    if (!host) {
      host = hosts[name] = document.createElement(name);
      host.lang = pieces[0][0].lang;
      host.dir = pieces[0][0].dir;
      const root = host.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(FLOATING_CSS);
      root.adoptedStyleSheets = [sheet];
      root.append(document.createElement('div'));
      document.body.append(host);
    }
    const box = host.shadowRoot?.firstChild as HTMLElement;
    box.style.bottom = `${bottom}px`;
    box.style.insetInlineStart = `${start}px`;
    // A long pill (the opt-out link at 320 px) wraps instead of touching the far edge.
    box.style.maxWidth = `calc(100% - ${start + 16}px)`;
    resize.observe(box);
    // At most two pieces: the first goes first, the second last.
    pieces.forEach(([el, on], i) => {
      if (!on) el.remove();
      else if (!el.isConnected) box[i ? 'append' : 'prepend'](el);
    });
  };

  const sync = () => {
    const state = kit.getState();
    const visible = state.decided || optOut;
    // Offered only while an opt-in consent is in force: there is something to withdraw.
    const granted = !optOut && state.decided && config.categories.some((c) => !c.required && state.categories[c.id]);
    const withFloating = visible && config.ui.floatingButton;
    const withWithdraw = granted && config.ui.withdrawButton;
    // Withdraw sits beside the round button (16 + 44 + 8 px), or in its place.
    place('consentkit-withdraw', [[withdrawButton, withWithdraw]], 16, withFloating ? 68 : 16);
    place('consentkit-floating', [[floating, withFloating], [gpc, visible && gpcHonored(kit)]], withFloating || !withWithdraw ? 16 : 68, 16);
    reserve();
  };
  kit.onChange(sync);
  sync();
}
