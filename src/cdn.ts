/**
 * The one-script-tag entry: read the page's config, start everything.
 *
 *   <script type="application/json" id="consentkit-config">{ … }</script>
 *   <script src="consentkit.js"></script>
 */
import { start } from './gate/start.js';
import { logError } from './gate/core/log.js';

declare global {
  interface Window {
    /** Config object a page may set instead of the JSON element. */
    consentkitConfig?: unknown;
  }
}

/** The config from `#consentkit-config` (JSON) or `window.consentkitConfig`. */
function readConfig(): unknown {
  const el = document.getElementById('consentkit-config');
  if (!el) return window.consentkitConfig;
  try {
    return JSON.parse(el.textContent || '{}');
  } catch (e) {
    logError('#consentkit-config is not valid JSON:', (e as Error).message);
    // Fails validation, so every optional category stays blocked.
    return null;
  }
}

try {
  start(readConfig());
} catch (e) {
  // Never break the host page; whatever did not start keeps its scripts blocked.
  logError('failed to start:', e);
}
