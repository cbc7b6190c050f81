/**
 * Wires the integrations to a kit: Google Consent Mode commands and
 * `consentkit_update` events on the dataLayer, and the Global Privacy Control
 * opt-out record. Runs right after the kit is created, before the blocker
 * subscribes, so every update reaches the dataLayer before a granted script runs.
 */
import { sameState, stateOf, type ConsentState } from '../core/choice.js';
import type { ConsentKit } from '../core/consent-kit.js';
import type { ChangeDetail } from '../core/events.js';
import { consentSignals, defaultCommands } from './consent-mode.js';

/** The dataLayer event consentkit pushes for tag managers. */
export const DATALAYER_EVENT = 'consentkit_update';

/** The `consentkit` object of a `consentkit_update` dataLayer event. */
export interface DataLayerConsent {
  /** Granted category and service ids. */
  granted: string[];
  /** Refused category and service ids. */
  refused: string[];
  /** The visitor has a stored choice. */
  decided: boolean;
  /** Action of the stored choice (`accept_all`, `gpc_optout`, …), or null. */
  action: string | null;
  /** Where the stored choice was made (`banner`, `api`, …), or null. */
  source: string | null;
  /** `load` (page view), `local` (decided in this tab) or `remote` (another tab). */
  origin: 'load' | ChangeDetail['origin'];
  mode: ConsentKit['mode'];
  gpc: boolean;
  region: string | null;
}

/** Builds the event payload for a state. */
export function dataLayerEvent(kit: ConsentKit, state: ConsentState, origin: DataLayerConsent['origin']) {
  const granted: string[] = [];
  const refused: string[] = [];
  for (const t of [state.categories, state.services])
    for (const [id, on] of Object.entries(t)) (on ? granted : refused).push(id);
  const consentkit: DataLayerConsent = {
    granted,
    refused,
    decided: state.decided,
    action: state.choice?.action ?? null,
    source: state.choice?.source ?? null,
    origin,
    mode: kit.mode,
    gpc: kit.gpc,
    region: kit.region ?? null,
  };
  return { event: DATALAYER_EVENT, consentkit };
}

/** Starts Consent Mode (if configured), dataLayer events and the GPC record. */
export function startIntegrations(kit: ConsentKit): void {
  const key = kit.config.dataLayer;
  const w = window as unknown as Record<string, unknown[] | undefined>;
  // Looked up on every push: GTM replaces `push`, and some pages reassign the array.
  const push = (entry: unknown) => {
    (w[key] ??= []).push(entry);
  };

  const options = kit.config.googleConsentMode;
  if (options) {
    // gtag.js reads only Arguments objects from the dataLayer, never arrays.
    const gtag: (...args: unknown[]) => void = function () {
      // eslint-disable-next-line prefer-rest-params
      push(arguments);
    };
    for (const c of defaultCommands(options)) gtag(...c);
    // An unusable config keeps every signal at its denied default (fail closed).
    const update = (state: ConsentState) => {
      if (kit.ok && kit.config.status.consentModeUsable) gtag('consent', 'update', consentSignals(state, options));
    };
    const state = kit.getState();
    // Consent Mode stores nothing: a stored choice (or an opt-out region's
    // grants) is re-sent on every page view, before any tag can read it.
    if (state.decided || kit.mode == 'opt-out') update(state);
    kit.onChange((d) => {
      update(d.state);
    });
  }

  // One event per page view, per change and per decision that changed nothing
  // (a change already carries it), so GTM triggers see each exactly once.
  push(dataLayerEvent(kit, kit.getState(), 'load'));
  kit.onChange((d) => {
    push(dataLayerEvent(kit, d.state, d.origin));
  });
  kit.onDecision((d) => {
    if (sameState(d.previous, d.state)) push(dataLayerEvent(kit, d.state, 'local'));
  });

  // Opt-out regions: record the GPC opt-out so a later visit without the
  // signal does not re-enable sale/share (CCPA §7025(c)(5)). Deferred so the
  // reporting module has subscribed and sends the record.
  queueMicrotask(() => {
    const s = kit.getState();
    const c = s.choice;
    if (kit.ok && kit.gpc && kit.mode == 'opt-out' && !(c && (c.gpc || sameState(stateOf(kit.config, c), s))))
      kit.set({ categories: s.categories, services: s.services }, 'api', 'gpc_optout');
  });
}
