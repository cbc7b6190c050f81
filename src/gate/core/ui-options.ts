/**
 * `config.ui`, the banner and dialog options. Their shape is `UI_SHAPE` in
 * `config-shape.ts`: the config's resolution keeps each option that fits it
 * (a bad one keeps its default) and the diagnostics part names each bad one.
 */

/** The banner and dialog options, with defaults filled in. */
export interface UiOptions {
  /** `bar` (bottom bar), `box` (corner box) or `modal` (centred, blocks the page). */
  layout: 'bar' | 'box' | 'modal';
  /** `auto` follows `prefers-color-scheme`. */
  theme: 'auto' | 'light' | 'dark';
  /** Show the small button that reopens the preferences. */
  floatingButton: boolean;
  /** Show a one-click "Withdraw consent" button beside it while an opt-in consent is in force. */
  withdrawButton: boolean;
  /** What × and Escape on the banner do: record a refusal, or record nothing. */
  closeAction: 'reject' | 'dismiss';
  /** Link to the privacy policy (http(s) or relative). */
  privacyPolicyUrl?: string;
  /** Folder the translation files are fetched from (http(s) or relative). */
  i18nUrl?: string;
}

/** Whether `url` is http(s) or relative: never `javascript:`, `data:` and the like. */
export const safeUrl = (url: unknown): url is string => {
  try {
    return typeof url == 'string' && /^https?:$/.test(new URL(url, location.href).protocol);
  } catch {
    return false;
  }
};

/** The options when `config.ui` sets none. */
export const UI_DEFAULTS: UiOptions = { layout: 'bar', theme: 'auto', floatingButton: true, withdrawButton: true, closeAction: 'reject' };
