/**
 * Made-up consent records spread over past days, for the demo (`npm start` seeds
 * them into an empty store so the dashboard has something to show) and for tests.
 * The same seed gives the same records.
 */
import type { ConsentAction } from '../../gate/core/choice.js';
import type { StoredRecord } from '../sql.js';

export interface DemoRecordOptions {
  /** How many records (default 3000). */
  count?: number;
  /** Over how many days before `now` (default 60). */
  days?: number;
  /** The latest time (default: the current time). */
  now?: Date;
  /** Seed of the pseudo-random choices (default 1). */
  seed?: number;
}

const DAY_MS = 86_400_000;
const OPTIONAL_CATEGORIES = ['functional', 'analytics', 'advertising'];
/** Weighted choices: [value, weight]. */
const ACTIONS: [ConsentAction, number][] = [
  ['accept_all', 46],
  ['reject_all', 28],
  ['custom', 16],
  ['withdraw', 4],
  ['close', 4],
  ['gpc_optout', 2],
];
const REGIONS: [string | undefined, number][] = [
  ['EU', 45],
  ['GB', 15],
  ['US-CA', 15],
  ['US', 10],
  ['CH', 5],
  [undefined, 10],
];
const LANGUAGES: [string, number][] = [
  ['en', 40],
  ['de', 20],
  ['fr', 15],
  ['es', 10],
  ['nl', 10],
  ['it', 5],
];

/** A small deterministic generator (mulberry32): numbers in [0, 1). */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, weighted: [T, number][]): T => {
  let left = random() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of weighted) {
    left -= weight;
    if (left < 0) return value;
  }
  return weighted[weighted.length - 1][0];
};

/** A UUID (version 4 layout) from the generator. */
const uuidFrom = (random: () => number) => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)];
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
};

/** `count` records, oldest first, each received a second after its decision. */
export function demoRecords({ count = 3000, days = 60, now = new Date(), seed = 1 }: DemoRecordOptions = {}): StoredRecord[] {
  const random = randomFrom(seed);
  const start = now.getTime() - days * DAY_MS;
  const times = Array.from({ length: count }, () => start + Math.floor(random() * days * DAY_MS)).sort((a, b) => a - b);
  return times.map((time) => {
    const action = pick(random, ACTIONS);
    const region = pick(random, REGIONS);
    // Revision 3 came out two thirds of the way through; a few visitors still saw revision 2.
    const revision = time > start + (days * DAY_MS * 2) / 3 && random() < 0.9 ? '3' : '2';
    const categories: Record<string, boolean> = { necessary: true };
    for (const id of OPTIONAL_CATEGORIES)
      categories[id] = action == 'accept_all' || (action == 'custom' && random() < (id == 'functional' ? 0.8 : id == 'analytics' ? 0.55 : 0.2));
    const at = new Date(time).toISOString();
    return {
      receivedAt: new Date(time + 1000).toISOString(),
      record: {
        schemaVersion: 1,
        consentId: uuidFrom(random),
        recordId: uuidFrom(random),
        createdAt: at,
        updatedAt: at,
        revision,
        action,
        source: action == 'withdraw' ? 'preferences' : action == 'gpc_optout' ? 'page' : 'banner',
        categories,
        services: { ga4: categories.analytics, youtube: categories.functional },
        language: pick(random, LANGUAGES),
        ...(region ? { region } : {}),
        url: 'https://shop.example/',
        gpc: action == 'gpc_optout',
        sdkVersion: '0.1.0',
        configHash: revision == '3' ? '3c'.repeat(32) : '2b'.repeat(32),
      },
    };
  });
}
