/**
 * The diagnostics part (`consentkit-diagnostics.js`, ESM `consentkit/diagnostics`):
 * names, in the console, each problem of a config. The gate loads it only when
 * its own check (`resolveConfig`) found one, so the messages and the per-field
 * reporting cost a correct site nothing.
 */
import type { ResolvedConfig } from '../../gate/core/config.js';
import { logError, logWarn } from '../../gate/core/log.js';
import { describeConfig, validateConfig } from './validate-config.js';

export { describeConfig, validateConfig };

/**
 * Logs one console error per problem of `config.source` (and a warning per
 * unknown field), in the order the check meets them. Changes nothing: the
 * resolved config has already fallen back (fail closed).
 */
export function reportConfig(config: ResolvedConfig): void {
  for (const { text, warning } of describeConfig(config.source).problems)
    if (warning) logWarn(`config: ${text}`);
    else logError(`invalid config: ${text}`);
}
