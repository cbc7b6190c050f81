// The export streams: 200,000 records go through with the process heap
// growing far less than the export's size, and a client that stops reading
// stops the reading from the database (backpressure). On PGlite.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { leafHash } from '../../src/server/digest.js';
import { EXPORT_BATCH } from '../../src/server/export.js';
import { createConsentHandler, openStore, type ConsentStore } from '../../src/server/index.js';
import { makeRecord } from './fixtures.js';
import { closeServer, QUIET, serve } from './http.js';

const RECORDS = 200_000;
const READ = 'read-token-memory-0001';
const START = Date.UTC(2026, 0, 1);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Fills a migrated PGlite folder with RECORDS records, 1,000 to an INSERT, one a second from 2026-01-01. */
async function fill(dir: string): Promise<void> {
  await (await openStore({ dataDir: dir })).close();
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir: dir });
  try {
    for (let first = 0; first < RECORDS; first += 1000) {
      const params: unknown[] = [];
      const rows: string[] = [];
      for (let i = first; i < Math.min(first + 1000, RECORDS); i++) {
        const receivedAt = new Date(START + i * 1000).toISOString();
        // An awkward URL too: the export must escape what it is given.
        const r = makeRecord({ url: `https://shop.example/p/${i}/a,b"c`, createdAt: receivedAt, updatedAt: receivedAt });
        const n = params.push(r.recordId, r.consentId, r.createdAt, r.updatedAt, r.action, JSON.stringify(r), receivedAt, leafHash(receivedAt, r));
        rows.push(`($${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::jsonb, $${n - 1}, $${n})`);
      }
      await db.query(
        `INSERT INTO consent_records (record_id, consent_id, created_at, updated_at, action, record, received_at, leaf_hash) VALUES ${rows.join(', ')}`,
        params,
      );
    }
  } finally {
    await db.close();
  }
}

test('exports 200,000 records streamed, with bounded heap, and waits for a slow client', { timeout: 900_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-pglite-'));
  try {
    await fill(dir);
    const store = await openStore({ dataDir: dir });
    const operator = store.operator;
    assert.ok(operator);
    let pagesRead = 0;
    // The same store, counting the pages the export reads.
    const counting: ConsentStore = {
      ...store,
      operator: {
        ...operator,
        list: (...args) => {
          pagesRead++;
          return operator.list(...args);
        },
      },
    };
    const handler = createConsentHandler({ ...QUIET, store: counting, readToken: READ, retainDays: false });
    const { server, url } = await serve(handler);
    try {
      await handler.maintain();

      // Backpressure: read the first bytes, then stop reading for a while.
      const slow = await fetch(`${url}/export?format=csv`, { headers: { authorization: `Bearer ${READ}` } });
      const slowReader = (slow.body as ReadableStream<Uint8Array>).getReader();
      await slowReader.read();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const pagesWhilePaused = pagesRead;
      await slowReader.cancel();
      t.diagnostic(`pages read while the client paused: ${pagesWhilePaused} of ${RECORDS / EXPORT_BATCH}`);
      assert.ok(pagesWhilePaused < 30, `the export read ${pagesWhilePaused} pages for a client that stopped reading`);

      // Live heap: collected before each sample, so that garbage awaiting collection is not counted.
      gc();
      const baseline = process.memoryUsage();
      let peakHeap = baseline.heapUsed;
      let peakRss = baseline.rss;
      const started = Date.now();
      const res = await fetch(`${url}/export?format=ndjson`, { headers: { authorization: `Bearer ${READ}` } });
      assert.equal(res.status, 200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let bytes = 0;
      let lines = 0;
      let nextSample = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        const chunk = Buffer.from(value.buffer, value.byteOffset, value.length);
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
        if (bytes >= nextSample) {
          nextSample = bytes + 4 * 2 ** 20;
          gc();
          const now = process.memoryUsage();
          peakHeap = Math.max(peakHeap, now.heapUsed);
          peakRss = Math.max(peakRss, now.rss);
        }
      }
      const seconds = (Date.now() - started) / 1000;
      const heapGrowth = peakHeap - baseline.heapUsed;
      const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
      t.diagnostic(
        `export: ${lines} lines, ${mb(bytes)} in ${seconds.toFixed(1)} s; heap peak +${mb(heapGrowth)} over ${mb(baseline.heapUsed)}, rss peak +${mb(peakRss - baseline.rss)}`,
      );
      // A line a record, then one a digest for every closed day (from the first record's day to yesterday).
      const digests = await operator.digests();
      assert.ok(digests.length >= 3);
      assert.equal(digests.slice(0, 3).reduce((n, digest) => n + digest.count, 0), RECORDS);
      assert.equal(lines, RECORDS + digests.length);
      assert.ok(bytes > 100 * 2 ** 20, `the export is ${mb(bytes)}`);
      // Generous: pages are 1,000 records (under 1 MB of text); the export is over 100 MB.
      assert.ok(heapGrowth < 64 * 2 ** 20, `heap grew ${mb(heapGrowth)} during the export`);
    } finally {
      await closeServer(server);
      await handler.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
