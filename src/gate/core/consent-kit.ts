/**
 * The consent core as one object: resolved config, the stored choice, the
 * effective state, decisions, events and cross-tab sync. Framework-free and
 * render-free; the UI, blocker, reporter and integrations build on it.
 */
import {
  allows,
  decodeChoice,
  diffStates,
  encodeChoice,
  makeChoice,
  sameState,
  staleReason,
  storedState,
  defaultState,
  type ChoiceInput,
  type ConsentMode,
  type ConsentAction,
  type ConsentChoice,
  type ConsentSource,
  type ConsentState,
} from './choice.js';
import { resolveConfig, type ResolvedConfig } from './config.js';
import { readCookie, removeCookie, writeCookie } from './cookie-jar.js';
import { CHANGE, DECISION, FIRST_CONSENT, READY, emit, type ChangeDetail, type DecisionDetail } from './events.js';
import { logError } from './log.js';
import type { Parts } from '../parts.js';
import { Store } from './store.js';
import { uuid } from './random.js';

export const VERSION = '0.1.0';

/** The public API: the same on `window.consentkit` and from `import { init } from 'consentkit'`. */
export interface ConsentKit {
  /** SDK version. */
  readonly version: string;
  /** The config, resolved once: checked, every default filled in, frozen. */
  readonly config: ResolvedConfig;
  /** False when the config had errors: everything optional then stays refused. */
  readonly ok: boolean;
  /** The effective state of every category and service. */
  getState(): ConsentState;
  /** Whether a category or service id (or a `!id` / space-separated expression) is allowed now. */
  isGranted(expr: string): boolean;
  /** Grants every category and service. */
  acceptAll(source?: ConsentSource): void;
  /** Refuses every optional category and service. */
  rejectAll(source?: ConsentSource): void;
  /** Stores a custom choice; ids left out are refused. */
  set(input: ChoiceInput, source?: ConsentSource, action?: ConsentAction): void;
  /** Withdraws consent: refuses everything optional and records the withdrawal. */
  withdraw(source?: ConsentSource): void;
  /** Forgets the choice (deletes the cookie) so the visitor is asked again. */
  reset(): void;
  /** Resolves once `expr` is granted (at once if it already is). */
  whenGranted(expr: string): Promise<void>;
  /** Calls `fn` on every change of what is granted; returns an unsubscribe function. */
  onChange(fn: (detail: ChangeDetail) => void): () => void;
  /** Calls `fn` on every decision made in this tab, changed or not; returns an unsubscribe function. */
  onDecision(fn: (detail: DecisionDetail) => void): () => void;
  /** Runs queued calls: a function receiving the API, or `[methodName, ...args]`. */
  push(...items: QueueItem[]): void;
  /** How undecided visitors are treated on this page view (from the region). */
  readonly mode: ConsentMode;
  /** Global Privacy Control is on and honoured on this page view. */
  readonly gpc: boolean;
  /** Region code (`DE`, `US-CA`) this page view was served for, if known. */
  readonly region: string | undefined;
  /** The language and texts the UI showed, for consent records; null until the UI renders. */
  shown: { language: string; texts: Record<string, string> } | null;
  /** Looks for marked elements the observer cannot see (shadow roots); set by the blocker. */
  rescan(root?: ParentNode): void;
  /** Shows the first-layer banner; set by the UI. */
  showBanner(): void;
  /** Opens the preferences dialog; set by the UI. */
  showPreferences(): void;
}

/** An entry of the pre-load queue (`window.consentkit = window.consentkit || []`). */
export type QueueItem = ((kit: ConsentKit) => void) | [string, ...unknown[]];

/** Things the environment decides; tests and integrations override them. */
export interface KitEnvironment {
  /** Clock in epoch milliseconds. */
  now?: () => number;
  /** Global Privacy Control signal of this page view (honoured unless `config.gpc` is false). */
  gpc?: boolean;
  /** How undecided visitors are treated (default `opt-in`). */
  mode?: ConsentMode;
  /** Region code this page view was served for. */
  region?: string;
}

/** Where the diagnostics part comes from: a function resolving to it. */
export type DiagnosticsSource = () => Promise<Parts['diagnostics']>;

/**
 * Has each problem of `config` named in the console by the diagnostics part,
 * which loads only for a config with problems. Without it (none given, or it
 * failed to load) one error still says the config is not as it should be.
 */
function diagnose(config: ResolvedConfig, diagnostics?: DiagnosticsSource): void {
  if (!config.status.needsDiagnostics) return;
  const unnamed = (e?: unknown) => {
    logError('invalid config (or unknown fields): consentkit-diagnostics.js names each problem, but it did not load', ...(e ? [e] : []));
  };
  if (!diagnostics) unnamed();
  else
    diagnostics()
      .then((part) => {
        part.reportConfig(config);
      })
      .catch(unnamed);
}

/**
 * Resolves `input` (a config as given, or one `resolveConfig` already made),
 * reads the stored choice and returns the API. Never throws. A config with
 * problems is named in the console by `diagnostics`.
 */
export function createConsentKit(input?: unknown, env: KitEnvironment = {}, diagnostics?: DiagnosticsSource): ConsentKit {
  const now = env.now ?? Date.now;
  const config = resolveConfig(input);
  diagnose(config, diagnostics);
  const ok = config.status.usable;
  const gpc = config.gpc && !!env.gpc;
  // An unusable config fails closed: opt-in, everything optional refused.
  const mode = ok ? (env.mode ?? 'opt-in') : 'opt-in';
  const undecided = () => defaultState(config, mode, gpc);
  const secure = location.protocol == 'https:';

  /** The stored choice if it is still valid for this config, else null. */
  const loadStored = (value = readCookie(config.cookie.name)): ConsentChoice | null => {
    if (!ok) return null;
    const choice = decodeChoice(value);
    return choice && !staleReason(choice, config, now()) ? choice : null;
  };
  const stateFor = (choice: ConsentChoice | null) => (choice ? storedState(config, choice, gpc) : undecided());

  let current = stateFor(loadStored());
  /** Each change of what is granted, as announced; null before the first. */
  const changes = new Store<ChangeDetail | null>(null, () => false);
  const decisions = new Store<DecisionDetail | null>(null, () => false);
  const channel = typeof BroadcastChannel == 'function' ? new BroadcastChannel(`consentkit:${config.cookie.name}`) : null;

  /** Makes `state` the current state and announces what changed, if anything did. */
  const apply = (state: ConsentState, origin: ChangeDetail['origin']) => {
    const previous = current;
    current = state;
    if (sameState(previous, state)) return;
    if (state.decided && !previous.decided && origin == 'local') emit(FIRST_CONSENT, { state });
    const detail: ChangeDetail = { state, origin, ...diffStates(previous, state) };
    emit(CHANGE, detail);
    changes.set(detail);
  };

  // Another tab decided: adopt its choice. The message carries the cookie value,
  // decoded and checked like the cookie itself: this tab's view of the cookie jar
  // may not have the other tab's write yet.
  const refresh = (value?: string) => {
    // '' is a reset there; a value this copy cannot read falls back to the cookie.
    apply(stateFor(value === '' ? null : (value ? loadStored(value) : null) ?? loadStored()), 'remote');
  };
  if (channel)
    channel.onmessage = (e: MessageEvent) => {
      refresh(typeof e.data == 'string' ? e.data : undefined);
    };
  // A page restored from the back/forward cache may be behind the cookie.
  addEventListener('pageshow', (e) => {
    if (e.persisted) refresh();
  });

  const decide = (wishes: ChoiceInput, action: ConsentAction, source: ConsentSource) => {
    if (!ok) {
      logError('consent not stored: the config has errors (see above)');
      return;
    }
    const previous = current;
    const choice = makeChoice(config, wishes, action, source, previous.choice, now(), uuid, gpc);
    const value = encodeChoice(choice);
    writeCookie(config.cookie, value, secure);
    const state = stateFor(choice);
    apply(state, 'local');
    channel?.postMessage(value);
    const detail = { choice, state, previous };
    decisions.set(detail);
    emit(DECISION, detail);
  };

  /**
   * `acceptAll`, `rejectAll` and `withdraw`: every category `on`. The services
   * follow their category (`stateOf`), and required ones stay granted.
   */
  const everything =
    (on: boolean, action: ConsentAction) =>
    (source: ConsentSource = 'api') => {
      const categories: Record<string, boolean> = {};
      for (const c of config.categories) categories[c.id] = on;
      decide({ categories }, action, source);
    };

  const kit: ConsentKit = {
    version: VERSION,
    config,
    ok,
    getState: () => current,
    isGranted: (expr) => allows(current, expr),
    acceptAll: everything(true, 'accept_all'),
    rejectAll: everything(false, 'reject_all'),
    set: (wishes, source = 'api', action = 'custom') => {
      decide(wishes, action, source);
    },
    withdraw: everything(false, 'withdraw'),
    reset: () => {
      removeCookie(config.cookie);
      apply(undecided(), 'local');
      channel?.postMessage(''); // no choice
    },
    whenGranted: (expr) =>
      new Promise((resolve) => {
        if (kit.isGranted(expr)) {
          resolve();
          return;
        }
        const off = changes.subscribe(() => {
          if (kit.isGranted(expr)) {
            off();
            resolve();
          }
        });
      }),
    onChange: (fn) =>
      changes.subscribe((detail) => {
        if (detail) fn(detail);
      }),
    onDecision: (fn) =>
      decisions.subscribe((d) => {
        if (d) fn(d);
      }),
    push: (...items) => {
      for (const item of items) runQueued(kit, item);
    },
    mode,
    gpc,
    region: env.region,
    shown: null,
    // Replaced by the blocker and the UI when they start.
    rescan: () => undefined,
    showBanner: () => undefined,
    showPreferences: () => undefined,
  };
  queueMicrotask(() => {
    emit(READY, { state: current });
  });
  return kit;
}

function runQueued(kit: ConsentKit, item: QueueItem): void {
  try {
    if (typeof item == 'function') item(kit);
    else {
      const [name, ...args] = item;
      const method = (kit as unknown as Record<string, unknown>)[name];
      if (typeof method == 'function') (method as (...a: unknown[]) => unknown).apply(kit, args);
      else logError(`queued call to unknown method "${name}"`);
    }
  } catch (e) {
    logError('a queued call threw:', e);
  }
}

declare global {
  interface Window {
    /** The API once loaded; before that, a queue page code may push onto. */
    consentkit?: ConsentKit | QueueItem[];
  }
}

/** The API already installed on this page (by another copy of the SDK), if any. */
export const installed = (): ConsentKit | undefined => {
  const g = window.consentkit;
  return g && !Array.isArray(g) ? g : undefined;
};

/** Puts `kit` on `window.consentkit` and runs the calls queued before it loaded. */
export function install(kit: ConsentKit): ConsentKit {
  const queued = Array.isArray(window.consentkit) ? window.consentkit : [];
  window.consentkit = kit;
  kit.push(...queued);
  return kit;
}
