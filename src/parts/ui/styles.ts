/**
 * Styles shared by the banner and the dialog: tokens, buttons, focus, themes.
 * The dialog's own rules (switches, categories, services, cookie tables, status)
 * are in preferences.ts. Only `.muted` and its `--k-muted` token are here for the
 * dialog alone: moving them there (with the token's light and dark values) takes
 * 37 B gzip off the first visit and adds 83 B to the dialog's part (measured
 * Nov 2026), under the 50 B a split must save, so they stay with the other tokens.
 */
import { css } from './stylesheet.js';

// The dark palette, as declarations to put inside a rule (a CSS minifier cannot parse a
// bare list, so it stays on one line; the rules below are minified at build time).
const DARK = css`--k-bg:#1c1f26;--k-fg:#f3f4f6;--k-muted:#c3c8d0;--k-accent:#8ab4f8;--k-on-accent:#0b1d3a;--k-border:#9ca3af;color-scheme:dark`;

export const base = css`
:host {
  --k-bg: #fff;
  --k-fg: #1f2328;
  --k-muted: #4b5563;
  --k-accent: #1d4ed8;
  --k-on-accent: #fff;
  --k-border: #6b7280;
  color-scheme: light;
}
@media (prefers-color-scheme:dark) {
  :host(:not([theme=light])) {
    ${DARK}
  }
}
:host([theme=dark]) {
  ${DARK}
}
* {
  box-sizing: border-box;
}
.panel {
  --bg: var(--consentkit-bg,var(--k-bg));
  --fg: var(--consentkit-fg,var(--k-fg));
  --accent: var(--consentkit-accent,var(--k-accent));
  --line: var(--consentkit-border,var(--k-border));
  --space: var(--consentkit-space,16px);
  --radius: var(--consentkit-radius,10px);
  z-index: var(--consentkit-z-index,2147483000);
  background: var(--bg);
  color: var(--fg);
  font: var(--consentkit-font-size,15px)/1.5 var(--consentkit-font,system-ui,sans-serif);
  padding: var(--space);
  border: 1px solid var(--line);
  border-radius: var(--radius);
  box-shadow: var(--consentkit-shadow,0 4px 24px #0005);
  max-height: 100dvh;
  overflow: auto;
  animation: in .2s ease-out;
  /* Long words (German compounds, cookie names) wrap instead of overflowing. */
  overflow-wrap: break-word;
  hyphens: auto;
}
@keyframes in {
  from {
    opacity: 0;
    transform: translateY(8px);
  }
}
/* The heading's box stays clear of the × button (36 px, 8 px from the edge). */
h2 {
  font-size: 1.2em;
  margin-block: 0 .5em;
  margin-inline: 0 40px;
}
p {
  margin: 0 0 var(--space);
}
.muted {
  color: var(--consentkit-muted,var(--k-muted));
}
a {
  color: var(--accent);
}
.buttons {
  display: grid;
  grid-template-columns: repeat(auto-fit,minmax(10em,1fr));
  gap: calc(var(--space)/2);
}
button {
  font: inherit;
  cursor: pointer;
  min-height: 44px;
  border-radius: var(--radius);
}
.btn {
  font-weight: 600;
  padding: 8px 16px;
  border: 2px solid var(--accent);
  background: var(--accent);
  color: var(--consentkit-on-accent,var(--k-on-accent));
}
.alt,.close {
  background: none;
  color: var(--fg);
}
.close {
  position: absolute;
  top: 8px;
  inset-inline-end: 8px;
  min-height: 0;
  width: 36px;
  height: 36px;
  border: 0;
  font-size: 24px;
  line-height: 1;
}
:focus-visible {
  outline: 3px solid var(--consentkit-focus,var(--accent));
  outline-offset: 2px;
}
.gpc {
  font-weight: 600;
  border-inline-start: 4px solid var(--accent);
  padding-inline-start: 8px;
}
.wide {
  grid-column: 1/-1;
}
dialog::backdrop {
  background: #0008;
}
@media (prefers-reduced-motion:reduce) {
  *,::before,::after {
    animation: none!important;
    transition: none!important;
  }
}
`;
