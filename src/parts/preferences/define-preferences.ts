/**
 * The preferences part (`consentkit-preferences.js`, `window.consentkitParts.preferences`;
 * `consentkit/preferences` for ESM): registers `<consentkit-preferences>`. The gate
 * loads it after the UI part, whose Lit and shared modules it uses (see `shared.ts`):
 * when the pointer or focus reaches a Preferences button, at idle time after the
 * banner shows, and when the preferences are opened.
 */
import { define } from '../ui/kit-element.js';
import { ConsentkitPreferences } from './preferences.js';

define('consentkit-preferences', ConsentkitPreferences);

declare global {
  interface HTMLElementTagNameMap {
    'consentkit-preferences': ConsentkitPreferences;
  }
}

export { ConsentkitPreferences };
