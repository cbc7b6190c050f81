// `npm run bench:records`: the dashboard's queries at scale. Loads made-up consent records
// straight into the database with SQL (INSERT … SELECT over generate_series, in batches;
// the aggregate triggers run once per batch), then times each dashboard query, a rebuild
// of the aggregates, single inserts through the store, and a streamed read of every record
// (a cursor, FETCH 10 000 at a time, written out as NDJSON), with this process's peak RSS.
// Prints a markdown table per database; raw results go to bench/results/records-<date>.json.
//
//   BENCH_RECORDS=1000000     how many records (default one million)
//   BENCH_DATABASES=pglite,postgres   which databases (default both)
//   CONSENTKIT_TEST_PG_URL=postgres://…   use this PostgreSQL instead of a throwaway cluster
//
// Runs under tsx (package.json#scripts) to reuse test/server/postgres.ts, which starts
// a throwaway PostgreSQL from Debian's binaries.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/server/storage.ts';
import { makeRecord } from '../test/server/fixtures.ts';
import { startPostgres } from '../test/server/postgres.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
const BATCH = 100_000;
const RUNS = 7;

/**
 * Records `first` to `last`, decided over the last 365 days: weighted actions, regions
 * (one in seven without), languages and revisions; categories follow the action.
 */
const GENERATE = `
INSERT INTO consent_records (record_id, consent_id, created_at, updated_at, action, received_at, record)
SELECT record_id, consent_id, decided, decided, action, decided + interval '1 second',
       jsonb_build_object(
         'schemaVersion', 1, 'consentId', consent_id, 'recordId', record_id,
         'createdAt', to_char(decided AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'updatedAt', to_char(decided AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'revision', revision, 'action', action, 'source', 'banner',
         'categories', jsonb_build_object('necessary', true,
            'functional', action = 'accept_all' OR (action = 'custom' AND pick_functional < 0.8),
            'analytics', action = 'accept_all' OR (action = 'custom' AND pick_analytics < 0.55),
            'advertising', action = 'accept_all' OR (action = 'custom' AND pick_advertising < 0.2)),
         'services', '{}'::jsonb, 'language', language, 'url', 'https://shop.example/', 'gpc', action = 'gpc_optout',
         'sdkVersion', '0.1.0', 'configHash', repeat('ab', 32))
       || CASE WHEN region IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('region', region) END
FROM (
  SELECT gen_random_uuid() AS record_id, gen_random_uuid() AS consent_id,
         date_trunc('second', now()) - random() * interval '365 days' AS decided,
         (ARRAY['accept_all','accept_all','accept_all','accept_all','reject_all','reject_all','reject_all','custom','custom','withdraw','close','gpc_optout'])[1 + floor(random() * 12)::int] AS action,
         (ARRAY['EU','EU','EU','GB','US-CA','US',NULL])[1 + floor(random() * 7)::int] AS region,
         (ARRAY['en','en','en','de','de','fr','es','nl','it'])[1 + floor(random() * 9)::int] AS language,
         (ARRAY['1','2','3','3','3'])[1 + floor(random() * 5)::int] AS revision,
         random() AS pick_functional, random() AS pick_analytics, random() AS pick_advertising
    FROM generate_series($1::int, $2::int)
) AS made`;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const mb = (bytes) => `${Math.round(bytes / 2 ** 20)} MB`;
const ms = (value) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());

/** Median of `RUNS` timed runs of `fn` (after one warm-up run), in ms. */
async function timed(fn, runs = RUNS) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
}

/** Reads every record through a cursor in one transaction, writing NDJSON lines; resolves to rows and bytes. */
async function streamAll(query) {
  let rows = 0;
  let bytes = 0;
  await query('BEGIN');
  try {
    await query('DECLARE every_record NO SCROLL CURSOR FOR SELECT record, received_at FROM consent_records ORDER BY received_at, record_id');
    for (;;) {
      const batch = await query('FETCH 10000 FROM every_record');
      if (!batch.rows.length) break;
      for (const row of batch.rows) {
        const record = typeof row.record == 'string' ? row.record : JSON.stringify(row.record);
        bytes += Buffer.byteLength(`{"receivedAt":"${new Date(row.received_at).toISOString()}","record":${record}}\n`);
        rows++;
      }
    }
    await query('CLOSE every_record');
  } finally {
    await query('COMMIT');
  }
  return { rows, bytes };
}

/** Everything timed against one database; `load(first, last)` inserts that slice of generated records. */
async function measure(name, { open, load, raw, done }) {
  console.log(`\n## ${name}: loading ${RECORDS.toLocaleString('en')} records in batches of ${BATCH.toLocaleString('en')}`);
  const results = { database: name, records: RECORDS };
  let start = performance.now();
  for (let first = 1; first <= RECORDS; first += BATCH) {
    await load(first, Math.min(RECORDS, first + BATCH - 1));
    process.stdout.write(`  ${Math.min(RECORDS, first + BATCH - 1).toLocaleString('en')} (${Math.round((performance.now() - start) / 1000)} s)\n`);
  }
  results.loadSeconds = (performance.now() - start) / 1000;

  const store = await open();
  if ((await store.count()) != RECORDS) throw new Error(`${name}: ${await store.count()} records stored, expected ${RECORDS}`);
  const queries = store.dashboard;
  const today = new Date().toISOString().slice(0, 10);
  const daysBefore = (days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  const last60 = { from: daysBefore(59), to: today };
  const lastYear = { from: daysBefore(364), to: today };
  peakRss = process.memoryUsage().rss;
  const cases = [
    ['filter values', () => queries.filterValues()],
    ['categories per day, 60 days', () => queries.categoriesByDay(last60)],
    ['actions per day, 60 days', () => queries.actionsByDay(last60)],
    ['categories per day, 365 days, region EU + language de', () => queries.categoriesByDay({ ...lastYear, region: 'EU', language: 'de' })],
    ['actions per day, 365 days, revision 1', () => queries.actionsByDay({ ...lastYear, revision: '1' })],
    ['latest 20 records', () => queries.latestRecords({}, 20)],
    ['latest 20 records, region GB + language it', () => queries.latestRecords({ region: 'GB', language: 'it' }, 20)],
    ['insert one record (with its aggregates)', () => store.insert(makeRecord({ updatedAt: new Date().toISOString() }))],
  ];
  results.queries = {};
  for (const [label, fn] of cases) {
    results.queries[label] = await timed(fn);
    console.log(`  ${label}: median ${ms(results.queries[label].median)} ms, max ${ms(results.queries[label].max)} ms`);
  }
  results.queryPeakRss = peakRss;

  start = performance.now();
  await store.rebuildAggregates();
  results.rebuildSeconds = (performance.now() - start) / 1000;
  console.log(`  rebuild of the aggregates: ${results.rebuildSeconds.toFixed(1)} s`);
  const aggregateRows = await raw.count(store);
  results.aggregateRows = aggregateRows;
  await store.close();

  peakRss = process.memoryUsage().rss;
  const before = peakRss;
  start = performance.now();
  const streamed = await raw.stream();
  results.export = { seconds: (performance.now() - start) / 1000, rows: streamed.rows, megabytes: streamed.bytes / 2 ** 20, rssBefore: before, peakRss };
  console.log(`  streamed read of every record: ${results.export.seconds.toFixed(1)} s, ${streamed.rows} rows, ${mb(streamed.bytes)} NDJSON, peak RSS ${mb(peakRss)}`);
  await done();
  return results;
}

async function pglite() {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-bench-'));
  const dataDir = join(dir, 'db');
  await (await openStore({ dataDir })).close();
  let db = await PGlite.create({ dataDir });
  let opened;
  return measure('PGlite', {
    load: (first, last) => db.query(GENERATE, [first, last]),
    open: async () => {
      await db.close();
      opened = await openStore({ dataDir });
      return opened;
    },
    raw: {
      count: async (store) => {
        // The store's own connection is the only one: count through it.
        const [categories, actions] = await Promise.all([store.dashboard.categoriesByDay({ from: '1970-01-01', to: '2100-01-01' }), store.dashboard.actionsByDay({ from: '1970-01-01', to: '2100-01-01' })]);
        return { categoryDays: categories.length, actionDays: actions.length };
      },
      stream: async () => {
        db = await PGlite.create({ dataDir });
        return streamAll((text) => db.query(text));
      },
    },
    done: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

async function postgres() {
  const server = await startPostgres();
  if ('skip' in server) {
    console.log(`\n## PostgreSQL: skipped (${server.skip})`);
    return null;
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query('DROP TABLE IF EXISTS consent_records, consent_daily_actions, consent_daily_categories, consentkit_migrations CASCADE');
  await (await openStore({ url: server.url })).close();
  return measure('PostgreSQL', {
    load: (first, last) => client.query(GENERATE, [first, last]),
    open: () => openStore({ url: server.url }),
    raw: {
      count: async () => {
        const { rows } = await client.query('SELECT (SELECT count(*) FROM consent_daily_categories) AS categories, (SELECT count(*) FROM consent_daily_actions) AS actions');
        return { categoryRows: Number(rows[0].categories), actionRows: Number(rows[0].actions) };
      },
      stream: () => streamAll((text) => client.query(text)),
    },
    done: async () => {
      await client.end();
      server.stop();
    },
  });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mb(totalmem())} RAM, Node ${process.version}`;
console.log(`records-scale: ${RECORDS.toLocaleString('en')} records on ${DATABASES.join(' and ')}; ${machine}`);
const all = [];
for (const database of DATABASES) {
  const result = database == 'pglite' ? await pglite() : database == 'postgres' ? await postgres() : null;
  if (result) all.push(result);
}
clearInterval(sampler);

console.log(`\n| ${['', ...all.map((r) => `${r.database}, median (max) ms`)].join(' | ')} |`);
console.log(`| ${['---', ...all.map(() => '---:')].join(' | ')} |`);
console.log(`| load (SQL, batches of ${BATCH.toLocaleString('en')}) | ${all.map((r) => `${r.loadSeconds.toFixed(0)} s`).join(' | ')} |`);
for (const label of Object.keys(all[0]?.queries ?? {}))
  console.log(`| ${label} | ${all.map((r) => `${ms(r.queries[label].median)} (${ms(r.queries[label].max)})`).join(' | ')} |`);
console.log(`| rebuild of the aggregates | ${all.map((r) => `${r.rebuildSeconds.toFixed(1)} s`).join(' | ')} |`);
console.log(`| streamed read of every record (NDJSON) | ${all.map((r) => `${r.export.seconds.toFixed(1)} s, ${Math.round(r.export.megabytes)} MB`).join(' | ')} |`);
console.log(`| peak RSS of this process: queries / streamed read | ${all.map((r) => `${mb(r.queryPeakRss)} / ${mb(r.export.peakRss)}`).join(' | ')} |`);

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `records-${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, results: all }, null, 2));
console.log(`\nraw results: ${file}`);
