/**
 * `config.ui`: the banner and dialog options. The config's resolution applies
 * them with `setUiOption` (a bad field keeps its default); `uiOptions`, run by
 * the diagnostics part, also names each bad field.
 */
import { logError } from '../core/log.js';

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

const CHOICES = { layout: ['bar', 'box', 'modal'], theme: ['auto', 'light', 'dark'], closeAction: ['reject', 'dismiss'] } as const;

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

/** Validates `ui`; logs one console error per bad field. The config's resolution uses `setUiOption` alone. */
export function uiOptions(ui: Record<string, unknown>): UiOptions {
  const o: UiOptions = { ...UI_DEFAULTS };
  const bad = (key: string, msg: string) => {
    logError(`invalid config: ui.${key} ${msg}`);
  };
  for (const [key, v] of Object.entries(ui)) {
    if (v === undefined || setUiOption(o, key, v)) continue;
    if (Object.hasOwn(CHOICES, key)) {
      const allowed: readonly string[] = CHOICES[key as keyof typeof CHOICES];
      bad(key, `must be ${allowed.map((a) => `"${a}"`).join(', ').replace(/, ([^,]*)$/, ' or $1')}`);
    } else if (key == 'floatingButton' || key == 'withdrawButton') bad(key, 'must be true or false');
    else if (key == 'privacyPolicyUrl' || key == 'i18nUrl') bad(key, 'must be an http(s) or relative URL');
    else bad(key, 'is not a known option');
  }
  return o;
}
