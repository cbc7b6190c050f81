// The endpoint over real HTTP on 127.0.0.1, the same suite against PGlite
// and a real PostgreSQL server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { describe, test } from 'node:test';
import { createConsentHandler, openStore, type ConsentStore, type LogLine } from '../../src/server/index.js';
import { listening, startCli } from './cli.js';
import { makeRecord } from './fixtures.js';
import { closeServer, QUIET, serve } from './http.js';
import { STORES, suiteStore, temporaryFolder, type OpenedStore } from './stores.js';

const ORIGIN = 'https://shop.example';
const TOKEN = 'test-token-0123456789';
const JSON_TYPE = { 'content-type': 'application/json' };

/** POSTs `body` and returns the status and the JSON answer. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { origin: ORIGIN, ...JSON_TYPE, ...headers },
    body: typeof body == 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as { error?: string; stored?: boolean; duplicate?: boolean } };
}
const history = async (url: string, consentId: string) => {
  const res = await fetch(`${url}/${consentId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, json: (await res.json()) as { records?: { record: { recordId: string } }[]; error?: string } };
};

/** The whole suite against one store. */
function endpointSuite(name: string, open: () => Promise<OpenedStore>) {
  describe(`consent endpoint on ${name}`, { timeout: 300_000 }, () => {
    let store: ConsentStore;
    let main: { server: Server; url: string };
    const { it } = suiteStore(
      open,
      async (opened) => {
        store = opened;
        main = await serve(createConsentHandler({ ...QUIET, store, allowedOrigins: [ORIGIN], token: TOKEN, rateLimit: false }));
      },
      () => closeServer(main.server),
    );

    it('stores a valid record (201) and returns it in the consent id history', async () => {
      const record = makeRecord();
      const res = await post(main.url, record);
      assert.equal(res.status, 201);
      assert.deepEqual(res.json, { stored: true });
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      const h = await history(main.url, record.consentId);
      assert.equal(h.status, 200);
      assert.deepEqual(h.json.records?.map((r) => r.record), [record]);
    });

    it('answers 200 to a duplicate recordId and stores it once', async () => {
      const record = makeRecord();
      assert.equal((await post(main.url, record)).status, 201);
      const again = await post(main.url, { ...record, action: 'accept_all' });
      assert.equal(again.status, 200);
      assert.deepEqual(again.json, { stored: true, duplicate: true });
      const h = await history(main.url, record.consentId);
      assert.equal(h.json.records?.length, 1);
    });

    it('refuses impossible dates and URLs the database cannot store with 400 naming the field, and stores the next valid record', async () => {
      const cases: [string, Record<string, unknown>][] = [
        ['createdAt', { createdAt: '2026-02-30T10:00:00Z' }],
        ['updatedAt', { updatedAt: '2025-02-29T10:00:00Z' }],
        ['createdAt', { createdAt: '0000-01-01T00:00:00Z' }],
        ['url', { url: 'https://shop.example/a\u0000b' }],
        ['url', { url: 'https://shop.example/\ud800' }],
      ];
      for (const [field, change] of cases) {
        const res = await post(main.url, { ...makeRecord(), ...change });
        assert.equal(res.status, 400, JSON.stringify(change));
        assert.ok(res.json.error?.startsWith(field), `"${res.json.error}" names ${field}`);
      }
      assert.equal((await post(main.url, makeRecord())).status, 201);
    });

    it('accepts a text/plain body (what sendBeacon sends)', async () => {
      const record = makeRecord();
      assert.equal((await post(main.url, record, { 'content-type': 'text/plain;charset=UTF-8' })).status, 201);
    });

    it('refuses a body over 16 KB with 413, with or without a content-length', async () => {
      const big = JSON.stringify({ ...makeRecord(), pad: 'x'.repeat(17 * 1024) });
      const res = await post(main.url, big);
      assert.equal(res.status, 413);
      assert.match(res.json.error ?? '', /16384 bytes/);
      // Chunked: the size is only known while reading.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(main.url, { method: 'POST', headers: { origin: ORIGIN, ...JSON_TYPE } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < 17; i++) req.write('x'.repeat(1024));
        req.end();
      });
      assert.equal(status, 413);
    });

    it('refuses other content types with 415', async () => {
      for (const type of ['text/html', 'application/x-www-form-urlencoded', '']) {
        const res = await post(main.url, makeRecord(), { 'content-type': type });
        assert.equal(res.status, 415, type);
        assert.match(res.json.error ?? '', /application\/json/);
      }
    });

    it('refuses bad JSON and schema violations with 400 naming the field', async () => {
      const bad = await post(main.url, '{"schemaVersion":1,');
      assert.equal(bad.status, 400);
      assert.match(bad.json.error ?? '', /not valid JSON/);
      const wrong = await post(main.url, { ...makeRecord(), action: 'accept' });
      assert.equal(wrong.status, 400);
      assert.match(wrong.json.error ?? '', /^action /);
      const extra = await post(main.url, { ...makeRecord(), ip: '203.0.113.9' });
      assert.equal(extra.status, 400);
      assert.match(extra.json.error ?? '', /^ip is not a field/);
    });

    it('refuses origins outside the allow-list (and no origin) with 403', async () => {
      const record = makeRecord();
      const res = await post(main.url, record, { origin: 'https://evil.example' });
      assert.equal(res.status, 403);
      assert.match(res.json.error ?? '', /evil\.example/);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      const none = await fetch(main.url, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(record) });
      assert.equal(none.status, 403);
      assert.equal((await history(main.url, record.consentId)).status, 404, 'nothing stored');
    });

    it('answers CORS preflights for allowed origins only', async () => {
      const ok = await fetch(main.url, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-site' },
      });
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
      assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.equal(ok.headers.get('access-control-allow-headers'), 'content-type,x-site');
      const no = await fetch(main.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      assert.equal(no.status, 403);
      assert.equal(no.headers.get('access-control-allow-origin'), null);
    });

    it('limits requests per address with 429', async () => {
      const limited = await serve(createConsentHandler({ ...QUIET, store, allowedOrigins: [ORIGIN], rateLimit: { max: 3, windowMs: 60_000 } }));
      try {
        const statuses = [];
        for (let i = 0; i < 5; i++) statuses.push((await post(limited.url, makeRecord())).status);
        assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
        const res = await post(limited.url, makeRecord());
        assert.match(res.json.error ?? '', /too many requests/);
      } finally {
        await closeServer(limited.server);
      }
    });

    it('reads a history only with the bearer token, and never lists', async () => {
      const record = makeRecord();
      await post(main.url, record);
      const url = `${main.url}/${record.consentId}`;
      const none = await fetch(url);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, 401);
      assert.equal((await history(main.url, record.consentId)).status, 200);
      assert.equal((await history(main.url, makeRecord().consentId)).status, 404);
      assert.equal((await history(main.url, 'not-a-uuid')).status, 400);
      for (const auth of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) assert.equal((await fetch(main.url, { headers: auth })).status, 405);
      const noToken = await serve(createConsentHandler({ ...QUIET, store }));
      try {
        assert.equal((await fetch(`${noToken.url}/${record.consentId}`, { headers: { authorization: 'Bearer ' } })).status, 401);
      } finally {
        await closeServer(noToken.server);
      }
    });

    it('works mounted Connect-style under a prefix behind a body parser, passing other paths to next()', async () => {
      const handler = createConsentHandler({ ...QUIET, store, allowedOrigins: [ORIGIN], rateLimit: false });
      const nexts: string[] = [];
      // What express.json() + app.use('/api', handler) do to the request.
      const app = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const original = req.url ?? '/';
          Object.assign(req, { originalUrl: original, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') as unknown });
          req.url = original.replace(/^\/api/, '') || '/';
          handler(req, res, () => {
            nexts.push(original);
            res.writeHead(418).end();
          });
        });
      });
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      const address = app.address();
      const base = `http://127.0.0.1:${typeof address == 'object' && address ? address.port : 0}`;
      try {
        const record = makeRecord();
        assert.equal((await post(`${base}/api/consent`, record)).status, 201);
        assert.equal((await post(`${base}/api/consent`, record)).status, 200);
        assert.equal((await post(`${base}/api/consent`, { ...record, recordId: 'x' })).status, 400);
        assert.equal((await fetch(`${base}/api/other`)).status, 418);
        assert.deepEqual(nexts, ['/api/other']);
      } finally {
        await closeServer(app);
      }
    });

    it('stores a burst of 2,000 records from 50 concurrent clients exactly once', async () => {
      const clients = Array.from({ length: 50 }, () => {
        const consentId = makeRecord().consentId;
        return Array.from({ length: 40 }, () => makeRecord({ consentId }));
      });
      const before = await store.count();
      const statuses: number[] = [];
      await Promise.all(
        clients.map(async (records) => {
          for (const [i, record] of records.entries()) {
            statuses.push((await post(main.url, record)).status);
            // Every tenth record is resent at once, racing the first copy's neighbours.
            if (i % 10 == 0) statuses.push((await post(main.url, records[i])).status);
          }
        }),
      );
      assert.equal(statuses.filter((s) => s == 201).length, 2000);
      assert.equal(statuses.filter((s) => s == 200).length, 200);
      assert.equal(statuses.length, 2200);
      assert.equal((await store.count()) - before, 2000);
      for (const records of clients.slice(0, 5)) {
        const stored = (await history(main.url, records[0].consentId)).json.records?.map((r) => r.record.recordId);
        assert.deepEqual(new Set(stored), new Set(records.map((r) => r.recordId)));
        assert.equal(stored?.length, 40);
      }
    });
  });
}

const temp = temporaryFolder;

for (const [name, open] of STORES) endpointSuite(name, open);

test('answers 503 (so the reporter retries) while the database fails, and stores nothing', async () => {
  const failing: ConsentStore = {
    insert: () => Promise.reject(new Error('connection terminated')),
    history: () => Promise.reject(new Error('connection terminated')),
    count: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
  const lines: string[] = [];
  const logger = (line: LogLine) => {
    if (line.level == 'error') lines.push(JSON.stringify(line));
  };
  const { server, url } = await serve(createConsentHandler({ store: failing, allowedOrigins: [ORIGIN], logger }));
  try {
    const record = makeRecord();
    const res = await post(url, record);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '30');
    assert.match(res.json.error ?? '', /retry later/);
    // One short line that says what failed; nothing of the record.
    assert.equal(lines.length, 1);
    assert.match(lines[0], /connection terminated/);
    assert.ok(!lines[0].includes('\n'), `one line: ${lines[0]}`);
    for (const value of [record.consentId, record.recordId, record.url]) assert.ok(!lines[0].includes(value), `the log holds ${value}`);
  } finally {
    await closeServer(server);
  }
});

describe('consentkit-server (CLI) on PGlite', { timeout: 300_000 }, () => {
  test('a record answered 201 survives the process being killed', async () => {
    const dir = temp();
    try {
      const cli = startCli(dir);
      const url = await listening(cli);
      const record = makeRecord();
      assert.equal((await post(url, record)).status, 201);
      await cli.kill();
      const store = await openStore({ dataDir: dir });
      try {
        assert.deepEqual((await store.history(record.consentId)).map((r) => r.record), [record]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a second process on the same folder refuses to start; a killed one leaves no stuck lock', async () => {
    const dir = temp();
    const first = startCli(dir);
    try {
      const url = await listening(first);
      const second = startCli(dir);
      const refused = await second.started;
      await second.kill();
      assert.ok(!('url' in refused), 'the second process started on the same folder');
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, new RegExp(`data folder .* is in use by process ${first.child.pid}`));
      assert.equal((await post(url, makeRecord())).status, 201, 'the first process still answers');

      // Killed, it cannot remove its lock: the next process finds it stale and starts.
      await first.kill('SIGKILL');
      const third = startCli(dir);
      try {
        assert.equal((await post(await listening(third), makeRecord())).status, 201);
      } finally {
        await third.kill('SIGTERM');
      }
    } finally {
      await first.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PGlite folder lock', { timeout: 120_000 }, () => {
  test('one process opens a folder once at a time; closing releases it', async () => {
    const dir = temp();
    try {
      const store = await openStore({ dataDir: dir });
      const second = await openStore({ dataDir: dir }).then(
        (opened) => opened.close().then(() => new Error('opened twice')),
        (e: unknown) => e as Error,
      );
      await store.close();
      assert.match(second.message, /data folder .* is in use by this process/);
      const again = await openStore({ dataDir: dir });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a lock left by a dead process, or by an earlier process that had this PID, is taken over', async () => {
    const dir = temp();
    try {
      const gone = spawn(process.execPath, ['-e', '']);
      await new Promise((resolve) => gone.once('exit', resolve));
      // A crashed process's lock; then one naming this process's PID but another start
      // (a container's server is often PID 1 on every start).
      for (const lock of [{ pid: gone.pid, start: null }, { pid: process.pid, start: 'an earlier start' }]) {
        writeFileSync(`${dir}.lock`, JSON.stringify(lock));
        const store = await openStore({ dataDir: dir });
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.lock`, { force: true });
    }
  });
});

describe('rate limit behind a proxy', { timeout: 120_000 }, () => {
  const memoryStore: ConsentStore = {
    insert: () => Promise.resolve(true),
    history: () => Promise.resolve([]),
    count: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
  /** Statuses of POSTs, one per X-Forwarded-For value. */
  const postsVia = async (url: string, forwardedFor: string[]) => {
    const statuses: number[] = [];
    for (const xff of forwardedFor) statuses.push((await post(url, makeRecord(), { 'x-forwarded-for': xff })).status);
    return statuses;
  };

  test('counts the address the trusted proxy saw (rightmost), not the forged leftmost entries', async () => {
    const { server, url } = await serve(createConsentHandler({ ...QUIET, store: memoryStore, allowedOrigins: [ORIGIN], trustProxy: true }));
    try {
      const forged = Array.from({ length: 70 }, (_, i) => `10.0.${i}.1, 203.0.113.7`);
      const statuses = await postsVia(url, forged);
      assert.equal(statuses.filter((s) => s == 201).length, 60);
      assert.equal(statuses.filter((s) => s == 429).length, 10);
      // Another visitor behind the same proxy has a budget of their own.
      assert.deepEqual(await postsVia(url, ['10.0.0.1, 198.51.100.9']), [201]);
    } finally {
      await closeServer(server);
    }
  });

  test('two rightmost addresses are limited separately; trustProxy: 2 takes the entry two hops from the right', async () => {
    const rateLimit = { max: 3, windowMs: 60_000 };
    const one = await serve(createConsentHandler({ ...QUIET, store: memoryStore, allowedOrigins: [ORIGIN], rateLimit, trustProxy: 1 }));
    const two = await serve(createConsentHandler({ ...QUIET, store: memoryStore, allowedOrigins: [ORIGIN], rateLimit, trustProxy: 2 }));
    try {
      assert.deepEqual(await postsVia(one.url, ['1.1.1.1, 192.0.2.1', '2.2.2.2, 192.0.2.1', '3.3.3.3, 192.0.2.1', '4.4.4.4, 192.0.2.1']), [201, 201, 201, 429]);
      assert.deepEqual(await postsVia(one.url, ['5.5.5.5, 192.0.2.2', '192.0.2.2', '6.6.6.6, 192.0.2.2', '7.7.7.7, 192.0.2.2']), [201, 201, 201, 429]);
      // Behind two proxies: "<forged>, <visitor>, <edge proxy>".
      assert.deepEqual(await postsVia(two.url, ['9.9.9.1, 192.0.2.1, 10.1.1.1', '9.9.9.2, 192.0.2.1, 10.1.1.1', '192.0.2.1, 10.1.1.2', '9.9.9.3, 192.0.2.1, 10.1.1.1']), [201, 201, 201, 429]);
      assert.deepEqual(await postsVia(two.url, ['9.9.9.4, 192.0.2.5, 10.1.1.1']), [201]);
    } finally {
      await Promise.all([closeServer(one.server), closeServer(two.server)]);
    }
  });

  test('bad trustProxy and rateLimit options are refused naming the option', () => {
    for (const trustProxy of [-1, 1.5, Number.NaN, 'yes'] as unknown as number[])
      assert.throws(() => createConsentHandler({ ...QUIET, store: memoryStore, trustProxy }), /trustProxy/);
    for (const rateLimit of [{ max: 0, windowMs: 1000 }, { max: 5, windowMs: -1 }, { max: '5' }, null] as unknown as false[])
      assert.throws(() => createConsentHandler({ ...QUIET, store: memoryStore, rateLimit }), /rateLimit/);
  });

  test('consentkit-server --trust-proxy [hops] --rate-limit <per minute>', async () => {
    const dir = temp();
    try {
      const bad = await startCli(dir, ['--rate-limit', 'lots']).started;
      assert.ok(!('url' in bad) && bad.code != 0 && bad.stderr.includes('--rate-limit must be'), JSON.stringify(bad));
      const badHops = await startCli(dir, ['--trust-proxy', 'two']).started;
      assert.ok(!('url' in badHops) && badHops.code != 0 && badHops.stderr.includes('--trust-proxy must be'), JSON.stringify(badHops));

      const cli = startCli(dir, ['--trust-proxy', '--rate-limit', '5']);
      try {
        const url = await listening(cli);
        const forged = Array.from({ length: 7 }, (_, i) => `10.0.${i}.1, 203.0.113.7`);
        assert.deepEqual(await postsVia(url, forged), [201, 201, 201, 201, 201, 429, 429]);
      } finally {
        await cli.kill('SIGTERM');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
