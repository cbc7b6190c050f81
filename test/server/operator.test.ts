// The operator API over real HTTP on 127.0.0.1: token scopes, list and search,
// export, erasure, retention, digests and verification. The same suite runs
// against PGlite and a real PostgreSQL server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ConsentRecord } from '../../src/gate/reporting/record.js';
import { csvField } from '../../src/server/export.js';
import { createLog } from '../../src/server/log.js';
import { maintain } from '../../src/server/maintenance.js';
import { createConsentHandler, Metrics, openStore, verifyExport, type ConsentHandler, type ConsentStore, type DayDigest } from '../../src/server/index.js';
import { ROOT } from '../e2e/helpers.js';
import { makeRecord } from './fixtures.js';
import { closeServer, QUIET, serve } from './http.js';
import { STORES, suiteStore, temporaryFolder, type OpenedStore } from './stores.js';

const READ = 'read-token-0123456789';
const ADMIN = 'admin-token-9876543210';
const DAY_MS = 86_400_000;
const ACTIONS = ['accept_all', 'reject_all', 'custom', 'withdraw'] as const;
const SOURCES = ['banner', 'preferences', 'page'] as const;

interface Seed {
  receivedAt: string;
  record: ConsentRecord;
}

/** Seeds for the search tests: 30 records over 2026-01-10 to 12, fields varied by index. */
const searchSeeds: Seed[] = Array.from({ length: 30 }, (_, i) => ({
  receivedAt: new Date(Date.UTC(2026, 0, 10) + i * 2 * 3_600_000 + i * 1000).toISOString(),
  record: makeRecord({
    action: ACTIONS[i % 4],
    source: SOURCES[i % 3],
    revision: String(1 + (i % 2)),
    language: i % 5 == 0 ? 'de-AT' : 'en',
    ...(i % 3 == 0 ? { region: 'US-CA' } : {}),
  }),
}));
const erasedId = makeRecord().consentId;
/** A consent id with three records on 2026-02-01 and 02 (to erase), and a neighbour kept. */
const erasureSeeds: Seed[] = [
  { receivedAt: '2026-02-01T10:00:00.000Z', record: makeRecord({ consentId: erasedId }) },
  { receivedAt: '2026-02-01T11:00:00.000Z', record: makeRecord() },
  { receivedAt: '2026-02-01T12:00:00.000Z', record: makeRecord({ consentId: erasedId, action: 'withdraw' }) },
  { receivedAt: '2026-02-02T09:00:00.000Z', record: makeRecord({ consentId: erasedId, source: 'api' }) },
];
/** Old records for retention: 2025-06-01 (purged with 100 days at 2026-04-01) and 2026-03-01 (kept). */
const retentionSeeds: Seed[] = [
  { receivedAt: '2025-06-01T08:00:00.000Z', record: makeRecord() },
  { receivedAt: '2025-06-01T09:00:00.000Z', record: makeRecord() },
  { receivedAt: '2026-03-01T08:00:00.000Z', record: makeRecord() },
];

/** Runs `consentkit-server verify <file>` (not spawnSync: the servers in this process must keep answering). */
const verifyCli = (file: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server/cli.ts'), 'verify', file], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code == 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });

const byTime = (a: Seed, b: Seed) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.record.recordId < b.record.recordId ? -1 : 1);

interface Listing {
  records: { receivedAt: string; record: ConsentRecord }[];
  nextCursor: string | null;
}

function operatorSuite(name: string, open: () => Promise<OpenedStore>) {
  describe(`operator API on ${name}`, { timeout: 300_000 }, () => {
    let store: ConsentStore;
    let handler: ConsentHandler;
    let main: { server: Server; url: string; origin: string };
    const dir = mkdtempSync(join(tmpdir(), 'consentkit-export-'));
    const { it } = suiteStore(
      open,
      async (opened) => {
        store = opened;
        for (const seed of [...searchSeeds, ...erasureSeeds, ...retentionSeeds]) await store.insert(seed.record, new Date(seed.receivedAt));
        handler = createConsentHandler({ ...QUIET, store, readToken: READ, adminToken: ADMIN, retainDays: false, rateLimit: false, authFailureLimit: false });
        main = await serve(handler);
        await handler.maintain();
      },
      async () => {
        rmSync(dir, { recursive: true, force: true });
        await closeServer(main.server);
      },
    );
    const get = (path: string, token: string | null = READ) => fetch(`${main.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const list = async (query: string) => {
      const res = await get(`/records?${query}`);
      assert.equal(res.status, 200, `${query}: ${await res.clone().text()}`);
      return (await res.json()) as Listing;
    };
    /** Every record of a query, following the cursors. */
    const listAll = async (query: string, limit: number) => {
      const records: Listing['records'] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.records.length <= limit);
        records.push(...page.records);
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { records, pages };
    };
    const erase = (consentId: string, token: string | null, body: unknown = { reason: 'art17-request ticket #42' }) =>
      fetch(`${main.url}/${consentId}`, { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {}, body: JSON.stringify(body) });
    /** The full NDJSON export, written to a file; resolves with its path and lines. */
    const exportToFile = async (file: string) => {
      const res = await get('/export?format=ndjson');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/x-ndjson/);
      const text = await res.text();
      writeFileSync(join(dir, file), text);
      return { path: join(dir, file), lines: text.split('\n').filter(Boolean) };
    };

    it('separates the read and admin scopes: no token 401, wrong token 401, read token on erasure 403', async () => {
      for (const path of ['/records', '/export', '/digests', '/erasures', `/${erasedId}`]) {
        assert.equal((await get(path, null)).status, 401, path);
        assert.equal((await get(path, 'wrong-token')).status, 401, path);
        assert.equal((await get(path, ADMIN)).status, 200, `${path} with the admin token`);
      }
      assert.equal((await fetch(`${main.origin}/metrics`)).status, 401);
      assert.equal((await fetch(`${main.origin}/metrics`, { headers: { authorization: `Bearer ${READ}` } })).status, 200);
      const none = await erase(erasedId, null);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await erase(erasedId, 'wrong-token')).status, 401);
      const readOnly = await erase(erasedId, READ);
      assert.equal(readOnly.status, 403);
      assert.match(((await readOnly.json()) as { error: string }).error, /admin token/);
      assert.equal((await store.history(erasedId)).length, 3, 'nothing erased');
      // Without an admin token, erasure is off whatever is sent; the old `token` option is the read token.
      const readOnlyHandler = await serve(createConsentHandler({ ...QUIET, store, token: READ, retainDays: false }));
      try {
        assert.equal((await fetch(`${readOnlyHandler.url}/records`, { headers: { authorization: `Bearer ${READ}` } })).status, 200);
        const res = await fetch(`${readOnlyHandler.url}/${erasedId}`, { method: 'DELETE', headers: { authorization: `Bearer ${READ}` }, body: '{"reason":"x"}' });
        assert.equal(res.status, 401);
        assert.match(((await res.json()) as { error: string }).error, /no admin token/);
      } finally {
        await closeServer(readOnlyHandler.server);
      }
    });

    it('lists in the order received, following cursors page by page without gaps or repeats', async () => {
      const expected = [...searchSeeds].sort(byTime);
      const { records, pages } = await listAll('from=2026-01-10&to=2026-01-13', 7);
      assert.equal(pages, Math.ceil(expected.length / 7));
      assert.deepEqual(
        records.map((r) => [r.receivedAt, r.record.recordId]),
        expected.map((s) => [s.receivedAt, s.record.recordId]),
      );
      assert.deepEqual(records[0].record, expected[0].record);
      const firstPage = await list('from=2026-01-10&to=2026-01-13');
      assert.equal(firstPage.records.length, 30, 'the default page holds 100');
      assert.equal(firstPage.nextCursor, null);
    });

    it('searches by time range, action, source, revision, region, language and consent id', async () => {
      const within = 'from=2026-01-10&to=2026-01-13';
      const cases: [string, (s: Seed) => boolean][] = [
        ['from=2026-01-11T00:00:00Z&to=2026-01-11T12:00:00Z', (s) => s.receivedAt >= '2026-01-11T00:00:00.000Z' && s.receivedAt < '2026-01-11T12:00:00.000Z'],
        [`${within}&action=reject_all`, (s) => s.record.action == 'reject_all'],
        [`${within}&source=preferences`, (s) => s.record.source == 'preferences'],
        [`${within}&revision=1&action=custom`, (s) => s.record.revision == '1' && s.record.action == 'custom'],
        [`${within}&region=US-CA`, (s) => s.record.region == 'US-CA'],
        [`${within}&language=de-AT`, (s) => s.record.language == 'de-AT'],
        [`consentId=${searchSeeds[4].record.consentId}`, (s) => s.record.consentId == searchSeeds[4].record.consentId],
      ];
      for (const [query, keep] of cases) {
        const expected = searchSeeds.filter(keep).sort(byTime);
        assert.ok(expected.length > 0 && expected.length < searchSeeds.length, query);
        const { records } = await listAll(query, 4);
        assert.deepEqual(
          records.map((r) => r.record.recordId),
          expected.map((s) => s.record.recordId),
          query,
        );
      }
    });

    it('answers bad parameters with 400 naming the parameter', async () => {
      const cases: [string, RegExp][] = [
        ['from=yesterday', /^from /],
        ['to=2026-13-01', /^to /],
        ['from=2026-02-01&to=2026-01-01', /^to must be later/],
        ['action=accept', /^action must be one of/],
        ['source=email', /^source /],
        ['revision=a%20b', /^revision /],
        ['language=12', /^language /],
        ['consentId=not-a-uuid', /^consentId /],
        ['limit=0', /^limit /],
        ['limit=1001', /^limit /],
        ['limit=ten', /^limit /],
        ['cursor=bm9wZQ', /^cursor /],
        ['actoin=custom', /^actoin is not a parameter/],
        ['action=custom&action=withdraw', /^action is given more than once/],
      ];
      for (const [query, message] of cases) {
        const res = await get(`/records?${query}`);
        assert.equal(res.status, 400, query);
        assert.match(((await res.json()) as { error: string }).error, message, query);
      }
      assert.equal((await get('/export?format=xml')).status, 400);
      assert.equal((await get('/digests?from=2026-1-1')).status, 400);
    });

    it('exports NDJSON and CSV with the same filters, CSV fields quoted', async () => {
      const expected = searchSeeds.filter((s) => s.record.action == 'custom').sort(byTime);
      const ndjson = await (await get('/export?from=2026-01-10&to=2026-01-13&action=custom')).text();
      const lines = ndjson.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; record: ConsentRecord });
      assert.deepEqual(
        lines.map((l) => [l.type, l.record]),
        expected.map((s) => ['record', s.record]),
        'records only: a field-filtered export carries no digests',
      );
      const res = await get('/export?from=2026-01-10&to=2026-01-13&action=custom&format=csv');
      assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="consent-records-.*\.csv"/);
      const rows = parseCsv(await res.text());
      assert.equal(rows[0][0], 'receivedAt');
      assert.equal(rows.length, expected.length + 1);
      const header = rows[0];
      for (const [i, seed] of expected.entries()) {
        const row = Object.fromEntries(header.map((column, j) => [column, rows[i + 1][j]]));
        assert.equal(row.receivedAt, seed.receivedAt);
        assert.equal(row.recordId, seed.record.recordId);
        assert.equal(row.region, seed.record.region ?? '');
        assert.deepEqual(JSON.parse(row.categories), seed.record.categories, 'JSON with commas and quotes survives quoting');
      }
    });

    it('closes days into chained digests and the full export verifies; a changed line names its record or day', async () => {
      const digests = (await (await get('/digests?from=2025-01-01&to=2026-12-31')).json()) as { digests: DayDigest[] };
      const days = new Set([...searchSeeds, ...erasureSeeds, ...retentionSeeds].map((s) => s.receivedAt.slice(0, 10)));
      for (const day of days) assert.equal(digests.digests.find((d) => d.day == day)?.count, [...searchSeeds, ...erasureSeeds, ...retentionSeeds].filter((s) => s.receivedAt.startsWith(day)).length, day);
      for (const [i, digest] of digests.digests.entries()) if (i) assert.equal(digest.previous, digests.digests[i - 1].digest);

      const { path, lines } = await exportToFile('full.ndjson');
      const ok = await verifyExport(lines);
      assert.equal(ok.problem, undefined);
      assert.ok(ok.ok);
      assert.equal(ok.records, searchSeeds.length + erasureSeeds.length + retentionSeeds.length);
      assert.equal(ok.daysVerified, digests.digests.length);
      const cli = await verifyCli(path);
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, /^verified: 37 records/);

      const target = lines.findIndex((line) => line.includes(searchSeeds[7].record.recordId));
      const changed = JSON.parse(lines[target]) as { record: ConsentRecord; leaf: string; receivedAt: string };
      changed.record.action = 'accept_all';
      const edited = [...lines];
      edited[target] = JSON.stringify(changed);
      writeFileSync(join(dir, 'changed.ndjson'), `${edited.join('\n')}\n`);
      const bad = await verifyCli(join(dir, 'changed.ndjson'));
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, new RegExp(`NOT VERIFIED: record ${searchSeeds[7].record.recordId} \\(line ${target + 1}, received ${searchSeeds[7].receivedAt}\\)`));

      // Changed together with its hash: the day's digest no longer matches.
      const { leafHash } = await import('../../src/server/digest.js');
      changed.leaf = leafHash(changed.receivedAt, changed.record);
      edited[target] = JSON.stringify(changed);
      const day = searchSeeds[7].receivedAt.slice(0, 10);
      assert.deepEqual(await verifyExport(edited).then((r) => [r.ok, r.day]), [false, day]);
      // A record line removed: the day's count shows it.
      const removed = await verifyExport(lines.filter((_, i) => i != target));
      assert.equal(removed.day, day);
      assert.match(removed.problem ?? '', /records were removed or added/);
      // A whole day (its records and its digest) removed: the next day's link shows it.
      const dayDigestLine = lines.findIndex((line) => line.includes('"type":"digest"') && line.includes(`"day":"${day}"`));
      const withoutDay = await verifyExport(lines.filter((line, i) => i != dayDigestLine && !(line.includes('"type":"record"') && line.includes(`"receivedAt":"${day}`))));
      assert.match(withoutDay.problem ?? '', /the chain is broken/);
      assert.equal(withoutDay.day, new Date(Date.parse(day) + DAY_MS).toISOString().slice(0, 10));
    });

    it('erases a consent id: records gone, a tombstone without the id kept, idempotent, and the export still verifies', async () => {
      const badReason = await erase(erasedId, ADMIN, { reason: 'asked by jane@example.com' });
      assert.equal(badReason.status, 400);
      assert.match(((await badReason.json()) as { error: string }).error, /^reason /);
      assert.equal((await erase('NOT-A-UUID', ADMIN)).status, 400);

      const first = await erase(erasedId, ADMIN);
      assert.equal(first.status, 200);
      const result = (await first.json()) as { erased: number; alreadyErased: boolean; erasure: { id: string; subject: string; reason: string; recordCount: number; erasedAt: string } };
      assert.equal(result.erased, 3);
      assert.equal(result.alreadyErased, false);
      assert.equal(result.erasure.reason, 'art17-request ticket #42');
      assert.equal(result.erasure.recordCount, 3);
      assert.match(result.erasure.subject, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(result).includes(erasedId), 'the tombstone does not hold the consent id');
      assert.equal((await store.history(erasedId)).length, 0);
      assert.equal((await get(`/${erasedId}`)).status, 404);
      assert.equal((await list(`consentId=${erasedId}`)).records.length, 0);
      assert.equal((await list('from=2026-02-01&to=2026-02-03')).records.length, 1, 'the neighbour is kept');

      const again = (await (await erase(erasedId, ADMIN)).json()) as typeof result;
      assert.deepEqual([again.erased, again.alreadyErased, again.erasure], [0, true, result.erasure]);
      const tombstones = (await (await get(`/erasures?consentId=${erasedId}`)).json()) as { erasures: (typeof result.erasure)[] };
      assert.deepEqual(tombstones.erasures, [result.erasure]);
      assert.deepEqual(((await (await get(`/erasures?consentId=${makeRecord().consentId}`)).json()) as typeof tombstones).erasures, []);

      const { lines } = await exportToFile('after-erasure.ndjson');
      assert.equal(lines.filter((line) => line.includes('"type":"erased"')).length, 3);
      assert.ok(!lines.some((line) => line.includes(erasedId)));
      const verified = await verifyExport(lines);
      assert.equal(verified.problem, undefined);
      // Without the tombstones' leaves, the erased days would not verify.
      assert.equal((await verifyExport(lines.filter((line) => !line.includes('"type":"erased"')))).day, '2026-02-01');
    });

    it('retention deletes records received before the cutoff day and keeps newer ones, tombstones and digests', async () => {
      const metrics = new Metrics();
      const result = await maintain(store, 100, createLog('silent'), metrics, new Date('2026-04-01T12:00:00Z'));
      assert.equal(result.purged, 2);
      assert.equal(metrics.purged, 2);
      assert.equal((await list('from=2025-01-01&to=2025-12-31')).records.length, 0);
      assert.equal((await list('from=2026-03-01&to=2026-03-02')).records.length, 1);
      assert.equal((await list('from=2026-01-10&to=2026-01-13')).records.length, searchSeeds.length);
      const digests = ((await (await get('/digests?from=2025-06-01&to=2025-06-01')).json()) as { digests: DayDigest[] }).digests;
      assert.equal(digests.length, 1);
      assert.equal(digests[0].count, 2);
      assert.ok(digests[0].purgedAt);
      assert.equal(((await (await get('/erasures')).json()) as { erasures: unknown[] }).erasures.length, 1);
      const verified = await verifyExport((await exportToFile('after-retention.ndjson')).lines);
      assert.equal(verified.problem, undefined);
      assert.ok(verified.daysPurged >= 1);
    });

    it('a handler with retainDays purges once at start, keeping records newer than the cutoff', async () => {
      const recent = makeRecord();
      await store.insert(recent);
      const cutoff = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 200 * DAY_MS).toISOString();
      assert.ok((await list(`to=${cutoff}`)).records.length > 0, 'older records to purge');
      // Never closed: closing would close the store the other tests share; its timer does not keep the process alive.
      const retaining = createConsentHandler({ ...QUIET, store, retainDays: 200 });
      await retaining.store();
      for (let i = 0; i < 100 && (await list(`to=${cutoff}`)).records.length; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await list(`to=${cutoff}`)).records.length, 0);
      assert.deepEqual((await store.history(recent.consentId)).map((r) => r.record), [recent]);
      assert.equal(((await (await get('/erasures')).json()) as { erasures: unknown[] }).erasures.length, 1);
    });
  });
}

/** A small RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c == '"' && text[i + 1] == '"') {
        field += '"';
        i++;
      } else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') {
      row.push(field);
      field = '';
    } else if (c == '\r' && text[i + 1] == '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

test('CSV fields: awkward values are quoted, formulas defused', () => {
  const cases: [unknown, string][] = [
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' padded ', '" padded "'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [{ necessary: true, 'a,b': false }, '"{""necessary"":true,""a,b"":false}"'],
    [true, 'true'],
    [undefined, ''],
  ];
  for (const [value, expected] of cases) assert.equal(csvField(value), expected, JSON.stringify(value));
  // What the field parser in this file reads back is the value (with the formula guard).
  assert.deepEqual(parseCsv(`${['a,b', 'say "hi"', 'two\nlines'].map(csvField).join(',')}\r\n`), [['a,b', 'say "hi"', 'two\nlines']]);
});

for (const [name, open] of STORES) operatorSuite(name, open);

test('records stored before leaf hashes existed get them when erased or when their day closes; a day wholly erased stays in the chain', { timeout: 120_000 }, async () => {
  const dir = temporaryFolder();
  try {
    await (await openStore({ dataDir: dir })).close();
    // As an earlier version stored them: no leaf hash, and the database's own microseconds.
    const older = [makeRecord(), makeRecord(), makeRecord()];
    const times = ['2026-01-05T10:00:00.123456Z', '2026-01-05T11:00:00.5Z', '2026-01-06T09:00:00.000001Z'];
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create({ dataDir: dir });
    for (const [i, r] of older.entries())
      await db.query('INSERT INTO consent_records (record_id, consent_id, created_at, updated_at, action, record, received_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)', [
        r.recordId,
        r.consentId,
        r.createdAt,
        r.updatedAt,
        r.action,
        JSON.stringify(r),
        times[i],
      ]);
    await db.close();

    const store = await openStore({ dataDir: dir });
    const handler = createConsentHandler({ ...QUIET, store, readToken: READ, adminToken: ADMIN, retainDays: false });
    const { server, url } = await serve(handler);
    try {
      // Every record of the first day erased before it closes: the day is still the chain's first.
      for (const r of older.slice(0, 2)) {
        const erased = await fetch(`${url}/${r.consentId}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` }, body: '{"reason":"test"}' });
        assert.equal(((await erased.json()) as { erased: number }).erased, 1);
      }
      await handler.maintain();
      assert.ok(store.operator);
      const [firstDay] = await store.operator.digests();
      assert.deepEqual([firstDay.day, firstDay.count], ['2026-01-05', 2]);
      const text = await (await fetch(`${url}/export`, { headers: { authorization: `Bearer ${READ}` } })).text();
      const lines = text.split('\n').filter(Boolean);
      assert.deepEqual(
        lines.filter((line) => line.includes('"type":"record"')).map((line) => (JSON.parse(line) as { receivedAt: string }).receivedAt),
        ['2026-01-06T09:00:00.000Z'],
      );
      const result = await verifyExport(lines);
      assert.equal(result.problem, undefined);
      assert.ok(result.daysVerified >= 2);
    } finally {
      await closeServer(server);
      await handler.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
