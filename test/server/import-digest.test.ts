// Records loaded in bulk (`importRecords`: demo data, restores) carry their leaf hashes
// like records posted one by one, so the daily digests close over them and an export verifies.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createConsentHandler, openStore, verifyExport } from '../../src/server/index.js';
import { makeRecord } from './fixtures.js';
import { closeServer, QUIET, serve } from './http.js';
import { temporaryFolder } from './stores.js';

test('imported records verify in an export, whatever form their receive times were given in', async () => {
  const folder = temporaryFolder();
  const store = await openStore({ dataDir: join(folder, 'db') });
  const handler = createConsentHandler({ ...QUIET, store, readToken: 'read', retainDays: false, rateLimit: false });
  const { server, url } = await serve(handler);
  try {
    // Receive times as an operator's file may hold them: without milliseconds, with an offset.
    const imported = ['2026-01-05T10:00:00Z', '2026-01-05T12:30:00+02:00', '2026-01-06T08:15:30.5Z'].map((receivedAt) => ({ record: makeRecord(), receivedAt }));
    assert.equal(await store.importRecords?.(imported), 3);
    await handler.maintain();
    const text = await (await fetch(`${url}/export?format=ndjson`, { headers: { authorization: 'Bearer read' } })).text();
    const result = await verifyExport(text.split('\n').filter(Boolean));
    assert.equal(result.problem, undefined);
    assert.equal(result.records, 3);
    // Every day from the first record's to yesterday closes, empty days too.
    assert.ok(result.daysVerified >= 2);
  } finally {
    await closeServer(server);
    await handler.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
