/**
 * The visitor's stored choice and the pure decisions made from it: how it is
 * encoded in the cookie, whether a stored one is still valid, what it allows,
 * and what changed between two states. No DOM, no I/O: also used on the server.
 */
import { ID, REVISION, type ResolvedConfig } from './config.js';

/** What the visitor (or code) did to reach the choice. */
export type ConsentAction = 'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'close' | 'gpc_optout';
/** Where the choice was made. */
/**
 * Where the choice was made. `page` is a one-click control outside the two
 * layers: the floating withdraw button or a `data-consentkit="withdraw"` element.
 */
export type ConsentSource = 'banner' | 'preferences' | 'placeholder' | 'page' | 'api';

/** A decision as stored in the consent cookie. */
export interface ConsentChoice {
  /** Random id of this visitor's consent (UUID v4); kept across updates. */
  id: string;
  /** First decision, epoch milliseconds (second precision). */
  createdAt: number;
  /** Latest decision, epoch milliseconds (second precision). */
  updatedAt: number;
  /** Policy revision the visitor saw. */
  revision: string;
  /** What the visitor (or code) did. */
  action: ConsentAction;
  /** Where the choice was made. */
  source: ConsentSource;
  /** Global Privacy Control was on when the decision was made. */
  gpc: boolean;
  /** Every category id with its state, refusals included. */
  categories: Record<string, boolean>;
  /** Every service id with its state, refusals included. */
  services: Record<string, boolean>;
  /**
   * The visitor confirmed granting a sale/share category although Global
   * Privacy Control was on (CCPA §7025(c)(3)). Sent in the consent record of
   * that decision; not kept in the cookie (the GPC flag there says the grant stands).
   */
  gpcConfirmed?: true;
}

/** What page code may rely on: the effective state of every category and service. */
export interface ConsentState {
  /** The visitor has made a (still valid) choice. */
  decided: boolean;
  /** The stored choice behind `decided`, or null. */
  choice: ConsentChoice | null;
  /** Every category id: `true` when granted now (required ones always are). */
  categories: Record<string, boolean>;
  /** Every service id: `true` when granted now (only ever inside a granted category). */
  services: Record<string, boolean>;
}

/** Ids whose state changed between two states. */
export interface ConsentDiff {
  /** Categories and services that went from refused to granted. */
  granted: string[];
  /** Categories and services that went from granted to refused. */
  revoked: string[];
}

/** A decision to record: per-id wishes; missing ids are refused. */
export interface ChoiceInput {
  /** Category id → granted; a category left out is refused. */
  categories?: Record<string, boolean>;
  /** Service id → granted; a service left out follows its category. */
  services?: Record<string, boolean>;
  /** The visitor explicitly confirmed granting sale/share categories despite Global Privacy Control. */
  gpcConfirmed?: boolean;
}

/**
 * The cookie value, format version 1: ten fields separated by `|`, made only of
 * characters a cookie value may hold unescaped:
 *
 *   1|<consent id>|<created>|<updated>|<revision>|<action>|<source>|<gpc>|<categories>|<services>
 *
 * The consent id is a lower-case UUID; created and updated are seconds since
 * 1970 in base 36; action and source are one letter each (below); gpc is `0` or
 * `1`; categories and services are `id:1/id:0` tables, refusals included.
 */
const FORMAT_VERSION = '1';

/** The letter each action is stored as. */
const ACTION_LETTERS: Record<ConsentAction, string> = {
  accept_all: 'a',
  reject_all: 'r',
  custom: 'c',
  withdraw: 'w',
  close: 'x',
  gpc_optout: 'g',
};
/** The letter each source is stored as. */
const SOURCE_LETTERS: Record<ConsentSource, string> = { banner: 'b', preferences: 'p', placeholder: 'h', page: 'o', api: 'a' };

/** The name stored as `letter` in `letters`; undefined for any other text. */
const nameOf = <Name extends string>(letters: Record<Name, string>, letter: string): Name | undefined =>
  (Object.keys(letters) as Name[]).find((name) => letters[name] == letter);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Cookies above this size are refused by some browsers; ours is far smaller. */
export const MAX_COOKIE_LENGTH = 4000;
/** The latest time the cookie can hold: seven base-36 digits of seconds (the year 4400). */
const LATEST = (36 ** 7 - 1) * 1000;
const DAY = 864e5;

const writeTime = (ms: number) => Math.floor(ms / 1000).toString(36);
const readTime = (text: string) => parseInt(text, 36) * 1000;

const writeTable = (table: Record<string, boolean>) =>
  Object.entries(table)
    .map(([id, on]) => `${id}:${on ? 1 : 0}`)
    .join('/');

/** An `id:1/id:0` table; null when an entry's id is not one a config may use. */
function readTable(text: string): Record<string, boolean> | null {
  const table: Record<string, boolean> = {};
  if (text)
    for (const entry of text.split('/')) {
      const [id, state] = entry.split(':');
      if (!ID.test(id)) return null;
      table[id] = state == '1';
    }
  return table;
}

/** Encodes a choice as the cookie value (see `FORMAT_VERSION` for the fields). */
export function encodeChoice(c: ConsentChoice): string {
  return [
    FORMAT_VERSION,
    c.id,
    writeTime(c.createdAt),
    writeTime(c.updatedAt),
    c.revision,
    ACTION_LETTERS[c.action],
    SOURCE_LETTERS[c.source],
    c.gpc ? 1 : 0,
    writeTable(c.categories),
    writeTable(c.services),
  ].join('|');
}

/**
 * Decodes a cookie value. Anything that is not exactly what `encodeChoice`
 * writes (empty, truncated, foreign, tampered, unknown version) gives null.
 */
export function decodeChoice(raw: unknown): ConsentChoice | null {
  if (typeof raw != 'string' || raw.length > MAX_COOKIE_LENGTH) return null;
  const fields = raw.split('|');
  if (fields.length != 10 || fields[0] != FORMAT_VERSION) return null;
  const [, id, created, updated, revision, actionLetter, sourceLetter, gpc, categoryTable, serviceTable] = fields;
  const createdAt = readTime(created);
  const updatedAt = readTime(updated);
  const action = nameOf(ACTION_LETTERS, actionLetter);
  const source = nameOf(SOURCE_LETTERS, sourceLetter);
  const categories = readTable(categoryTable);
  const services = readTable(serviceTable);
  if (!UUID.test(id) || !(createdAt > 0 && createdAt <= updatedAt && updatedAt <= LATEST)) return null;
  if (!REVISION.test(revision) || !action || !source || !categories || !services) return null;
  const choice: ConsentChoice = { id, createdAt, updatedAt, revision, action, source, gpc: gpc == '1', categories, services };
  // Only the one way of writing it counts: written back, it must give the same
  // text (no leading zeros or upper case in a time, no id twice, no stray character).
  return encodeChoice(choice) == raw ? choice : null;
}

/** Why a stored choice no longer counts, or null when it does. */
export type StaleReason = 'revision' | 'expired' | 'future' | 'categories' | 'services';

/** Checks a decoded choice against the current config and clock. */
export function staleReason(choice: ConsentChoice, config: ResolvedConfig, now: number): StaleReason | null {
  if (choice.revision != config.revision) return 'revision';
  // A clock a day ahead of ours means the value was forged or the device clock is wrong.
  if (choice.updatedAt > now + DAY) return 'future';
  if (now >= choice.updatedAt + config.cookie.expiryDays * DAY) return 'expired';
  for (const cat of config.categories) {
    if (!cat.required && !(cat.id in choice.categories)) return 'categories';
    for (const service of cat.services ?? []) if (!(service.id in choice.services)) return 'services';
  }
  return null;
}

/** How a region treats visitors who have not decided. */
export type ConsentMode = 'opt-in' | 'opt-out';

/**
 * The state while nothing is decided. Opt-in (the default, EU/UK rules):
 * only required categories. Opt-out (US state rules): everything, except
 * sale/share categories when Global Privacy Control is on.
 */
export function defaultState(config: ResolvedConfig, mode: ConsentMode = 'opt-in', gpc = false): ConsentState {
  const on: Record<string, boolean> = {};
  if (mode == 'opt-out') for (const c of config.categories) on[c.id] = !(gpc && c.saleOrShare);
  return stateOf(config, null, { categories: on });
}

/**
 * The state a stored choice gives on this page view. A Global Privacy Control
 * signal refuses sale/share categories that were granted without it; a choice
 * made while the signal was on is an explicit opt-in and stands.
 */
export function storedState(config: ResolvedConfig, choice: ConsentChoice, gpc = false): ConsentState {
  if (!gpc || choice.gpc) return stateOf(config, choice);
  const categories = { ...choice.categories };
  for (const c of config.categories) if (c.saleOrShare) categories[c.id] = false;
  return stateOf(config, choice, { categories, services: choice.services });
}

/**
 * The effective state of every category and service. A service is granted
 * only when its category is; required categories, and their services, are
 * always granted (a refusal of everything refuses nothing necessary).
 */
export function stateOf(config: ResolvedConfig, choice: ConsentChoice | null, wishes: ChoiceInput = choice ?? {}): ConsentState {
  const categories: Record<string, boolean> = {};
  const services: Record<string, boolean> = {};
  for (const cat of config.categories) {
    const on = !!cat.required || wishes.categories?.[cat.id] === true;
    categories[cat.id] = on;
    for (const s of cat.services ?? []) services[s.id] = !!cat.required || (on && wishes.services?.[s.id] !== false);
  }
  return { decided: !!choice, choice, categories, services };
}

/** Builds the choice to store for a decision, keeping the consent id and first date. */
export function makeChoice(
  config: ResolvedConfig,
  wishes: ChoiceInput,
  action: ConsentAction,
  source: ConsentSource,
  previous: ConsentChoice | null,
  now: number,
  newId: () => string,
  gpc = false,
): ConsentChoice {
  const { categories, services } = stateOf(config, null, wishes);
  const at = Math.floor(now / 1000) * 1000;
  const choice: ConsentChoice = {
    id: previous?.id ?? newId(),
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
    revision: config.revision,
    action,
    source,
    gpc,
    categories,
    services,
  };
  if (gpc && wishes.gpcConfirmed && config.categories.some((c) => c.saleOrShare && categories[c.id])) choice.gpcConfirmed = true;
  return choice;
}

/** What went from refused to granted and back between two states. */
export function diffStates(before: ConsentState, after: ConsentState): ConsentDiff {
  const granted: string[] = [];
  const revoked: string[] = [];
  for (const key of ['categories', 'services'] as const)
    for (const [id, on] of Object.entries(after[key]))
      // Changed when `on` is the opposite of what was before.
      if (on == !before[key][id]) (on ? granted : revoked).push(id);
  return { granted, revoked };
}

/** True when two states grant exactly the same and agree on `decided`. */
export const sameState = (a: ConsentState, b: ConsentState): boolean => {
  const d = diffStates(a, b);
  return a.decided == b.decided && !d.granted.length && !d.revoked.length;
};

/**
 * Whether an element marked with `expr` may run: `analytics` needs the
 * category (or service) granted, `!analytics` needs it refused. Several ids
 * separated by spaces or commas must all hold. Unknown ids never allow
 * anything (fail closed).
 */
export function allows(state: ConsentState, expr: string): boolean {
  const terms = expr.split(/[\s,]+/).filter(Boolean);
  return (
    terms.length > 0 &&
    terms.every((t) => {
      const negate = t.startsWith('!');
      const id = negate ? t.slice(1) : t;
      // Only a boolean counts: `toString` or `constructor` would otherwise find
      // Object.prototype's methods, and a function is truthy (fail closed).
      const c: unknown = state.categories[id];
      const v: unknown = typeof c == 'boolean' ? c : state.services[id];
      // A negated term allows only once the visitor has decided, so fallbacks
      // do not run on first page views before the banner is answered.
      return typeof v == 'boolean' && (negate ? state.decided && !v : v);
    })
  );
}
