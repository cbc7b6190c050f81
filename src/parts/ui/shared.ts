/**
 * What the preferences part (`consentkit-preferences.js`) takes from the UI part
 * (`consentkit-ui.js`) instead of carrying a copy of its own: Lit and the modules
 * the banner and the dialog share. The UI part exports this object as
 * `window.consentkitParts.ui.shared`; rollup.config.mjs builds the preferences
 * part with these modules external and reads each from here (`SHARED_WITH_UI`).
 *
 * Lit's exports are listed one by one: a namespace object (`import * as lit`)
 * would keep every export of Lit in the UI part (242 B gzip more). The build
 * fails if the preferences part imports from Lit a name that is not listed here.
 * Neither part carries `LitElement`: both elements are built on `render-element.ts`.
 */
import { css } from './stylesheet.js';
import { html, nothing } from 'lit/html.js';
import * as gpc from './gpc.js';
import * as kitElement from './kit-element.js';
import * as styles from './styles.js';

export const shared = { cssTag: { css }, litHtml: { html, nothing }, gpc, kitElement, styles };
