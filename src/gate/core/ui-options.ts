/**
 * `config.ui`, the banner and dialog options, as the config's resolution
 * applies them: a bad field keeps its default, with no message (the
 * diagnostics part names it, with `uiOptions` in `src/parts/diagnostics/ui-options.ts`).
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

export const CHOICES = { layout: ['bar', 'box', 'modal'], theme: ['auto', 'light', 'dark'], closeAction: ['reject', 'dismiss'] } as const;

/** The options when `config.ui` sets none. */
export const UI_DEFAULTS: UiOptions = { layout: 'bar', theme: 'auto', floatingButton: true, withdrawButton: true, closeAction: 'reject' };

/**
 * Sets option `key` of `o` to `v` when `v` is allowed there; false (and `o`
 * unchanged) when it is not, or `key` is no option. Shared by the config's
 * resolution (which keeps no message) and `uiOptions` (which names the problem).
 */
export function setUiOption(o: UiOptions, key: string, v: unknown): boolean {
  // Own keys only: `toString` must be an unknown option, not Object.prototype's.
  const valid = Object.hasOwn(CHOICES, key)
    ? (CHOICES[key as keyof typeof CHOICES] as readonly unknown[]).includes(v)
    : key == 'floatingButton' || key == 'withdrawButton'
      ? typeof v == 'boolean'
      : (key == 'privacyPolicyUrl' || key == 'i18nUrl') && safeUrl(v);
  if (valid) (o as unknown as Record<string, unknown>)[key] = v;
  return valid;
}
