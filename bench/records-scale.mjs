// `npm run bench:records`: the dashboard's queries and the operator export at scale. Loads
// made-up consent records straight into the database with SQL (INSERT … SELECT over
// generate_series, in batches; the aggregate triggers run once per batch), computes their
// leaf hashes in JS as importRecords() does (SQL cannot write canonical JSON), then times
// each dashboard query, a rebuild of the aggregates, single inserts through the store, the
// daily digests (`handler.maintain()`) and the real export: `GET {path}/export` as NDJSON and
// as CSV from a handler served on 127.0.0.1, read to the end, with this process's peak RSS
// and heap. PGlite runs in this process: its RSS includes the database's.
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
import { createServer } from 'node:http';
import { leafHash } from '../src/server/digest.ts';
import { createConsentHandler } from '../src/server/handler.ts';
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
let peakHeap = 0;
const sampler = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  peakHeap = Math.max(peakHeap, heapUsed);
}, 20);
/** Starts a new peak measurement from now. */
const resetPeaks = () => {
  ({ rss: peakRss, heapUsed: peakHeap } = process.memoryUsage());
};
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

const READ_TOKEN = 'bench-read-token-0123456789abcdef';
const LEAF_BATCH = 10_000;

/**
 * Stores the leaf hash of every record loaded by SQL, LEAF_BATCH records a statement (in
 * record id order), computed as importRecords() and insert() compute it. The update trigger
 * that keeps the aggregates is off meanwhile: only leaf_hash changes, no aggregate key.
 */
async function fillLeafHashes(query) {
  await query('ALTER TABLE consent_records DISABLE TRIGGER consentkit_count_updated');
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await query(
      `SELECT record_id::text AS record_id, record, received_at FROM consent_records WHERE record_id > $1::uuid ORDER BY record_id LIMIT ${LEAF_BATCH}`,
      [after],
    );
    if (!rows.length) break;
    const leaves = rows.map((row) => leafHash(new Date(row.received_at).toISOString(), typeof row.record == 'string' ? JSON.parse(row.record) : row.record));
    await query(
      `UPDATE consent_records AS stored SET leaf_hash = computed.leaf
         FROM unnest($1::uuid[], $2::text[]) AS computed(record_id, leaf) WHERE stored.record_id = computed.record_id`,
      [rows.map((row) => row.record_id), leaves],
    );
    after = rows[rows.length - 1].record_id;
  }
  await query('ALTER TABLE consent_records ENABLE TRIGGER consentkit_count_updated');
}

/** GETs `url` and reads the body to its end, counting bytes and lines without keeping them. */
async function readThrough(url) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
  if (response.status != 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    for (let at = chunk.indexOf(10); at != -1; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return { bytes, lines };
}

/** Times the daily digests and both export formats through a handler over `store`, served on 127.0.0.1. */
async function measureHandler(store, results) {
  const handler = createConsentHandler({ store, readToken: READ_TOKEN, logLevel: 'silent', retainDays: false, rateLimit: false });
  // The handler's first use of the store starts a maintenance run; maintain() waits for it
  // (and finds nothing left to do), so this is the time to close every loaded day.
  let start = performance.now();
  await handler.maintain();
  results.maintain = { seconds: (performance.now() - start) / 1000, days: (await store.operator.digests()).length };
  console.log(`  handler.maintain() (daily digests): ${results.maintain.seconds.toFixed(1)} s, ${results.maintain.days} days`);
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/api/consent/export`;
  results.export = {};
  for (const format of ['ndjson', 'csv']) {
    global.gc?.();
    resetPeaks();
    const rssBefore = peakRss;
    start = performance.now();
    const read = await readThrough(`${url}?format=${format}`);
    results.export[format] = { seconds: (performance.now() - start) / 1000, lines: read.lines, megabytes: read.bytes / 2 ** 20, rssBefore, peakRss, peakHeap };
    console.log(`  export ${format}: ${results.export[format].seconds.toFixed(1)} s, ${read.lines} lines, ${mb(read.bytes)}, RSS ${mb(rssBefore)} → peak ${mb(peakRss)}, peak heap ${mb(peakHeap)}`);
  }
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await handler.close();
}

/**
 * Everything timed against one database. `load(first, last)` inserts that slice of generated
 * records; `connect()` gives a raw query function again after the store was closed; `open()`
 * opens the store (on PGlite, closing the raw connection: one connection at a time).
 */
async function measure(name, { open, load, connect, countAggregates, done }) {
  console.log(`\n## ${name}: loading ${RECORDS.toLocaleString('en')} records in batches of ${BATCH.toLocaleString('en')}`);
  const results = { database: name, records: RECORDS };
  let start = performance.now();
  for (let first = 1; first <= RECORDS; first += BATCH) {
    await load(first, Math.min(RECORDS, first + BATCH - 1));
    process.stdout.write(`  ${Math.min(RECORDS, first + BATCH - 1).toLocaleString('en')} (${Math.round((performance.now() - start) / 1000)} s)\n`);
  }
  results.loadSeconds = (performance.now() - start) / 1000;

  // The dashboard first: it needs no leaf hashes.
  let store = await open();
  if ((await store.count()) != RECORDS) throw new Error(`${name}: ${await store.count()} records stored, expected ${RECORDS}`);
  const queries = store.dashboard;
  const today = new Date().toISOString().slice(0, 10);
  const daysBefore = (days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  const last60 = { from: daysBefore(59), to: today };
  const lastYear = { from: daysBefore(364), to: today };
  resetPeaks();
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
  results.aggregateRows = await countAggregates(store);
  await store.close();

  const query = await connect();
  start = performance.now();
  await fillLeafHashes(query);
  results.leafSeconds = (performance.now() - start) / 1000;
  console.log(`  leaf hashes (JS, batches of ${LEAF_BATCH.toLocaleString('en')}): ${results.leafSeconds.toFixed(0)} s`);
  store = await open();
  await measureHandler(store, results);
  await done();
  return results;
}

async function pglite() {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-bench-'));
  const dataDir = join(dir, 'db');
  await (await openStore({ dataDir })).close();
  let db = await PGlite.create({ dataDir });
  return measure('PGlite', {
    load: (first, last) => db.query(GENERATE, [first, last]),
    connect: async () => {
      db = await PGlite.create({ dataDir });
      return (text, params) => db.query(text, params);
    },
    open: async () => {
      // The store's own connection is the only one from here on.
      await db.close();
      return openStore({ dataDir });
    },
    countAggregates: async (store) => {
      const [categories, actions] = await Promise.all([store.dashboard.categoriesByDay({ from: '1970-01-01', to: '2100-01-01' }), store.dashboard.actionsByDay({ from: '1970-01-01', to: '2100-01-01' })]);
      return { categoryDays: categories.length, actionDays: actions.length };
    },
    done: async () => {
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
    connect: async () => (text, params) => client.query(text, params),
    open: () => openStore({ url: server.url }),
    countAggregates: async () => {
      const { rows } = await client.query('SELECT (SELECT count(*) FROM consent_daily_categories) AS categories, (SELECT count(*) FROM consent_daily_actions) AS actions');
      return { categoryRows: Number(rows[0].categories), actionRows: Number(rows[0].actions) };
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
console.log(`| leaf hashes of the loaded records (JS, as importRecords) | ${all.map((r) => `${r.leafSeconds.toFixed(0)} s`).join(' | ')} |`);
console.log(`| rebuild of the aggregates | ${all.map((r) => `${r.rebuildSeconds.toFixed(1)} s`).join(' | ')} |`);
console.log(`| handler.maintain(): daily digests | ${all.map((r) => `${r.maintain.seconds.toFixed(1)} s, ${r.maintain.days} days`).join(' | ')} |`);
for (const format of ['ndjson', 'csv'])
  console.log(`| GET /export?format=${format}, read to the end | ${all.map((r) => `${r.export[format].seconds.toFixed(1)} s, ${Math.round(r.export[format].megabytes)} MB`).join(' | ')} |`);
console.log(`| peak RSS of this process: queries | ${all.map((r) => mb(r.queryPeakRss)).join(' | ')} |`);
for (const format of ['ndjson', 'csv'])
  console.log(`| RSS before → peak, peak heap: ${format} export | ${all.map((r) => `${mb(r.export[format].rssBefore)} → ${mb(r.export[format].peakRss)}, ${mb(r.export[format].peakHeap)}`).join(' | ')} |`);

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `records-${new Date().toISOString().slice(0, 10)}-${DATABASES.join('-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, results: all }, null, 2));
console.log(`\nraw results: ${file}`);
