// The dashboard's daily aggregates against a recount of the records, after inserts,
// duplicates, bulk imports, deletes, updates and a rebuild, on PGlite and on a real
// PostgreSQL server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { openStore, type ConsentStore, type StoredRecord } from '../../src/server/index.js';
import type { DashboardQueries, DayRange, Slice } from '../../src/server/admin/queries.js';
import { demoRecords } from '../../src/server/admin/demo-records.js';
import { makeRecord } from './fixtures.js';
import { startPostgres } from './postgres.js';
import { skippableTest } from './stores.js';

/** A store, and a way to run SQL on its database behind its back (as an operator's script would). */
interface Opened {
  store: ConsentStore;
  /** Runs `text`; on PGlite this closes the store, runs it on the folder and reopens it. */
  raw(text: string): Promise<void>;
  done(): Promise<void>;
}

const dayOf = (time: string) => time.slice(0, 10);
const inSlice = ({ record }: StoredRecord, slice: Slice) =>
  (slice.region === undefined || (record.region ?? '') == slice.region) &&
  (slice.language === undefined || record.language == slice.language) &&
  (slice.revision === undefined || record.revision == slice.revision);

/** The per-day counts recounted from `records`, sorted like the queries' answers. */
function recount(records: StoredRecord[], range: DayRange) {
  const actions = new Map<string, number>();
  const categories = new Map<string, { granted: number; refused: number }>();
  for (const stored of records) {
    const day = dayOf(stored.record.updatedAt);
    if (day < range.from || day > range.to || !inSlice(stored, range)) continue;
    const actionKey = `${day} ${stored.record.action}`;
    actions.set(actionKey, (actions.get(actionKey) ?? 0) + 1);
    for (const [category, granted] of Object.entries(stored.record.categories)) {
      const key = `${day} ${category}`;
      const counts = categories.get(key) ?? { granted: 0, refused: 0 };
      counts[granted ? 'granted' : 'refused']++;
      categories.set(key, counts);
    }
  }
  const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    actions: sorted(actions).map(([key, records]) => ({ day: key.split(' ')[0], action: key.split(' ')[1], records })),
    categories: sorted(categories).map(([key, counts]) => ({ day: key.split(' ')[0], category: key.split(' ')[1], ...counts })),
  };
}

const sortedSet = (values: string[]) => [...new Set(values)].sort();

/** The filter values against those present in `records`: none left over after deletes, none missing after inserts. */
async function assertFilterValues(queries: DashboardQueries, records: StoredRecord[]) {
  const values = await queries.filterValues();
  assert.deepEqual(values.regions, sortedSet(records.map(({ record }) => record.region ?? '')), 'regions');
  assert.deepEqual(values.languages, sortedSet(records.map(({ record }) => record.language)), 'languages');
  assert.deepEqual(values.revisions, sortedSet(records.map(({ record }) => record.revision)), 'revisions');
  assert.deepEqual(values.categories, sortedSet(records.flatMap(({ record }) => Object.keys(record.categories))), 'categories');
  const days = records.map(({ record }) => dayOf(record.updatedAt)).sort();
  assert.equal(values.firstDay, days[0] ?? null, 'first day');
  assert.equal(values.lastDay, days[days.length - 1] ?? null, 'last day');
}

async function assertCounts(queries: DashboardQueries, records: StoredRecord[], range: DayRange) {
  await assertFilterValues(queries, records);
  const expected = recount(records, range);
  assert.deepEqual(await queries.actionsByDay(range), expected.actions, `actions for ${JSON.stringify(range)}`);
  assert.deepEqual(await queries.categoriesByDay(range), expected.categories, `categories for ${JSON.stringify(range)}`);
}

const NOW = new Date('2026-11-30T12:00:00.000Z');
const ALL: DayRange = { from: '2026-01-01', to: '2026-12-31' };
const SLICES: Slice[] = [{}, { region: '' }, { region: 'EU' }, { language: 'de' }, { revision: '3' }, { region: 'GB', language: 'en', revision: '2' }];

function aggregateSuite(name: string, open: () => Promise<Opened | string>) {
  describe(`daily aggregates on ${name}`, { timeout: 300_000 }, () => {
    let opened: Opened;
    let skipped = '';
    before(async () => {
      const result = await open();
      if (typeof result == 'string') skipped = result;
      else opened = result;
    });
    after(async () => {
      if (!skipped) await opened.done();
    });
    const it = skippableTest(() => skipped);
    const queries = () => {
      assert.ok(opened.store.dashboard, 'openStore gives the dashboard queries');
      return opened.store.dashboard;
    };

    // Tests run in order and build on each other's records.
    const stored: StoredRecord[] = [];

    it('count each inserted record once, per day, action and category, in every slice', async () => {
      const first = demoRecords({ count: 120, days: 10, now: NOW, seed: 7 });
      for (const item of first) {
        assert.equal(await opened.store.insert(item.record), true);
        // The endpoint stamps the time it received the record.
        item.receivedAt = (await opened.store.history(item.record.consentId))[0].receivedAt;
      }
      // A resent record (same recordId) is not counted again.
      assert.equal(await opened.store.insert(first[3].record), false);
      stored.push(...first);
      for (const slice of SLICES) await assertCounts(queries(), stored, { ...ALL, ...slice });
      // A narrower range.
      await assertCounts(queries(), stored, { from: '2026-11-24', to: '2026-11-26' });
    });

    it('count a bulk import in one statement, skipping records already stored', async () => {
      const more = demoRecords({ count: 900, days: 30, now: NOW, seed: 8 });
      assert.equal(await opened.store.importRecords?.([...more, stored[0]]), more.length);
      stored.push(...more);
      for (const slice of SLICES) await assertCounts(queries(), stored, { ...ALL, ...slice });
    });

    it('refuse a bulk import holding an invalid record, naming it, and count nothing of it', async () => {
      const batch = demoRecords({ count: 3, now: NOW, seed: 9 });
      const bad = { ...batch[1], record: { ...batch[1].record, language: 'not a tag' } };
      await assert.rejects(opened.store.importRecords?.([batch[0], bad, batch[2]]) ?? Promise.reject(new Error('none')), /records\[1\]: language/);
      await assertCounts(queries(), stored, ALL);
    });

    it('follow deletes and updates made with SQL (erasure, retention, corrections)', async () => {
      const erased = stored[10].record.consentId;
      // Retention: everything decided before 18 November; erasure: one consent id.
      await opened.raw(`DELETE FROM consent_records WHERE updated_at < '2026-11-18' OR consent_id = '${erased}'`);
      const kept = stored.filter(({ record }) => record.updatedAt >= '2026-11-18' && record.consentId != erased);
      assert.ok(kept.length < stored.length && kept.length > 0);
      stored.splice(0, stored.length, ...kept);
      for (const slice of SLICES) await assertCounts(queries(), stored, { ...ALL, ...slice });

      await opened.raw(`UPDATE consent_records SET record = jsonb_set(record, '{region}', '"CH"') WHERE record->>'region' = 'GB'`);
      for (const item of stored) if (item.record.region == 'GB') item.record = { ...item.record, region: 'CH' };
      for (const slice of [...SLICES, { region: 'CH' }]) await assertCounts(queries(), stored, { ...ALL, ...slice });
    });

    it('offer a filter value from its first record on, and not after its last is deleted', async () => {
      const rare = makeRecord({ updatedAt: '2026-11-29T08:00:00.000Z', createdAt: '2026-11-29T08:00:00.000Z', region: 'CA', language: 'pt', revision: '9' });
      assert.equal(await opened.store.insert(rare), true);
      const withRare = [...stored, { receivedAt: NOW.toISOString(), record: rare }];
      await assertFilterValues(queries(), withRare);
      const values = await queries().filterValues();
      assert.ok(values.regions.includes('CA') && values.languages.includes('pt') && values.revisions.includes('9'));
      await opened.raw(`DELETE FROM consent_records WHERE record_id = '${rare.recordId}'`);
      await assertFilterValues(queries(), stored);
      assert.ok(!(await queries().filterValues()).languages.includes('pt'));
    });

    it('rebuild from the records after writes the triggers did not see', async () => {
      const extra = makeRecord({ updatedAt: '2026-11-29T23:59:59.999Z', createdAt: '2026-11-29T23:59:59.999Z', region: 'EU', language: 'de' });
      await opened.raw(`ALTER TABLE consent_records DISABLE TRIGGER USER;
        INSERT INTO consent_records (record_id, consent_id, created_at, updated_at, action, received_at, record)
          VALUES ('${extra.recordId}', '${extra.consentId}', '${extra.createdAt}', '${extra.updatedAt}', '${extra.action}', '${NOW.toISOString()}', '${JSON.stringify(extra)}');
        UPDATE consent_daily_actions SET records = records + 5;
        ALTER TABLE consent_records ENABLE TRIGGER USER;`);
      stored.push({ receivedAt: NOW.toISOString(), record: extra });
      await assert.rejects(assertCounts(queries(), stored, ALL), 'the aggregates are off before the rebuild');
      await opened.store.rebuildAggregates?.();
      for (const slice of SLICES) await assertCounts(queries(), stored, { ...ALL, ...slice });
    });

    it('list the filter values and the first and last day', async () => {
      const values = await queries().filterValues();
      assert.deepEqual(values.regions, sortedSet(stored.map(({ record }) => record.region ?? '')));
      assert.deepEqual(values.languages, sortedSet(stored.map(({ record }) => record.language)));
      assert.deepEqual(values.revisions, sortedSet(stored.map(({ record }) => record.revision)));
      assert.deepEqual(values.categories, ['advertising', 'analytics', 'functional', 'necessary']);
      const days = stored.map(({ record }) => dayOf(record.updatedAt)).sort();
      assert.equal(values.firstDay, days[0]);
      assert.equal(values.lastDay, days[days.length - 1]);
    });

    it('give the latest decisions, newest first, in a slice', async () => {
      const newest = (slice: Slice, limit: number) =>
        stored
          .filter((item) => inSlice(item, slice))
          .sort((a, b) => (a.record.updatedAt < b.record.updatedAt ? 1 : -1))
          .slice(0, limit)
          .map(({ record }) => record.recordId);
      for (const [slice, limit] of [
        [{ region: 'EU' }, 5],
        [{}, 30],
        [{ region: 'CH', language: 'it' }, 3],
        [{ region: '', revision: '2' }, 500],
      ] as [Slice, number][]) {
        const latest = await queries().latestRecords(slice, limit);
        assert.deepEqual(
          latest.map(({ record }) => record.recordId),
          newest(slice, limit),
          JSON.stringify(slice),
        );
        assert.ok(latest.length > 0);
        for (const item of latest) assert.ok(inSlice(item, slice));
      }
      assert.deepEqual(await queries().latestRecords({ language: 'xx' }, 5), []);
    });
  });
}

aggregateSuite('PGlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-aggregates-'));
  const dataDir = join(dir, 'db');
  const opened: Opened = {
    store: await openStore({ dataDir }),
    raw: async (text) => {
      await opened.store.close();
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create({ dataDir });
      await db.exec(text);
      await db.close();
      opened.store = await openStore({ dataDir });
    },
    done: async () => {
      await opened.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return opened;
});

aggregateSuite('PostgreSQL', async () => {
  const pg = await startPostgres();
  if ('skip' in pg) return pg.skip;
  const { default: postgres } = await import('pg');
  const client = new postgres.Client({ connectionString: pg.url });
  await client.connect();
  // A fresh schema each run, even against a shared CONSENTKIT_TEST_PG_URL.
  await client.query('DROP TABLE IF EXISTS consent_records, consent_daily_actions, consent_daily_categories, consentkit_migrations CASCADE');
  const store = await openStore({ url: pg.url });
  return {
    store,
    raw: async (text) => {
      await client.query(text);
    },
    done: async () => {
      await store.close();
      await client.end();
      pg.stop();
    },
  };
});
