/**
 * `config.ui`: the banner and dialog options. The config's resolution applies
 * them with `setUiOption` (a bad field keeps its default); `uiOptions`, run by
 * the diagnostics part, also names each bad field.
 */
import { logError } from '../../gate/core/log.js';
import { CHOICES, UI_DEFAULTS, setUiOption, type UiOptions } from '../../gate/core/ui-options.js';

export { safeUrl, type UiOptions } from '../../gate/core/ui-options.js';

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
