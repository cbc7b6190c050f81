/**
 * The diagnostics part (`consentkit-diagnostics.js`, ESM `consentkit/diagnostics`):
 * names, in the console, each problem of a config. The gate loads it only when
 * its own check (`resolveConfig`) found one, so the messages and the per-field
 * reporting cost a correct site nothing.
 */
import { IDENT, SCRIPT_URL, isObject, type ResolvedConfig } from '../../gate/core/config.js';
import { logError, logWarn } from '../../gate/core/log.js';
import { validateConfig } from './validate-config.js';
import { consentModeOptions } from '../../gate/integrations/consent-mode.js';
import { regionConfig } from '../../gate/integrations/environment.js';
import { uiOptions } from './ui-options.js';

export { validateConfig };

/**
 * Logs one console error per problem of `config.source` (and a warning per
 * unknown field), in the order the SDK meets them while starting. Changes
 * nothing: the resolved config has already fallen back (fail closed).
 */
export function reportConfig(config: ResolvedConfig): void {
  const input = config.source;
  // A config that is not an object has no fields (a primitive reads undefined).
  const raw = isObject(input) ? input : {};
  const invalid = (message: string) => {
    logError(`invalid config: ${message}`);
  };
  for (const e of regionConfig(raw).errors) invalid(e);
  const { errors, warnings } = validateConfig(input);
  for (const e of errors) invalid(e);
  for (const w of warnings) logWarn(`config: ${w}`);
  const dataLayer = raw.dataLayer ?? 'dataLayer';
  if (typeof dataLayer != 'string' || !IDENT.test(dataLayer)) invalid('dataLayer must be a JavaScript identifier');
  if (config.googleConsentMode) for (const e of consentModeOptions(config).errors) invalid(e);
  const urls = raw.trustedScriptUrls;
  if (urls !== undefined && !(Array.isArray(urls) && urls.every((u) => typeof u == 'string' && SCRIPT_URL.test(u))))
    invalid('trustedScriptUrls must be an array of http(s) URLs or /paths');
  // uiOptions logs its own messages (`ui.<field> …`).
  if (isObject(raw.ui)) uiOptions(raw.ui);
}
