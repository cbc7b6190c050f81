/**
 * `config.ui`, the banner and dialog options, for the parts that read them.
 * Their shape is `UI_SHAPE` (src/gate/core/config-shape.ts); the diagnostics
 * part names each bad option with the rest of the config's problems.
 */
export { safeUrl, type UiOptions } from '../../gate/core/ui-options.js';
