// Health check, Prometheus metrics after a known sequence of requests, the
// request log lines, and the command line's flags. On PGlite.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createConsentHandler, openStore, type ConsentStore, type LogLine } from '../../src/server/index.js';
import { createLog } from '../../src/server/log.js';
import { ROOT } from '../e2e/helpers.js';
import { makeRecord } from './fixtures.js';
import { closeServer, QUIET, serve } from './http.js';

const ORIGIN = 'https://shop.example';
const READ = 'read-token-for-metrics-0001';
const CLI = join(ROOT, 'src/server/cli.ts');

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers }, body }).then((res) => res.status);

/** The samples of a Prometheus text exposition, by name and labels. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

describe('metrics, health and logs', { timeout: 120_000 }, () => {
  test('/metrics counts a known sequence of requests exactly', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    const handler = createConsentHandler({ ...QUIET, store, allowedOrigins: [ORIGIN], readToken: READ, rateLimit: { max: 7, windowMs: 60_000 }, retainDays: false });
    const { server, url, origin } = await serve(handler);
    try {
      const first = JSON.stringify(makeRecord());
      const statuses = [
        await post(url, first),
        await post(url, JSON.stringify(makeRecord())),
        await post(url, first),
        await post(url, '{"schemaVersion":1,'),
        await post(url, JSON.stringify({ ...makeRecord(), action: 'accept' })),
        await post(url, first, { origin: 'https://evil.example' }),
        await post(url, first, { 'content-type': 'text/html' }),
        await post(url, JSON.stringify({ ...makeRecord(), pad: 'x'.repeat(17 * 1024) })),
        await post(url, JSON.stringify(makeRecord())),
      ];
      assert.deepEqual(statuses, [201, 201, 200, 400, 400, 403, 415, 413, 429]);
      assert.equal((await fetch(`${origin}/metrics`)).status, 401);
      assert.equal((await fetch(`${url}/records`, { headers: { authorization: 'Bearer guess' } })).status, 401);
      const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${READ}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      assert.match(text, /# TYPE consentkit_records_received_total counter/);
      assert.match(text, /# TYPE consentkit_http_request_duration_seconds histogram/);
      const values = samples(text);
      const expected: Record<string, number> = {
        consentkit_records_received_total: 9,
        consentkit_records_stored_total: 2,
        consentkit_records_duplicate_total: 1,
        'consentkit_records_refused_total{reason="bad_json"}': 1,
        'consentkit_records_refused_total{reason="invalid"}': 1,
        'consentkit_records_refused_total{reason="origin"}': 1,
        'consentkit_records_refused_total{reason="content_type"}': 1,
        'consentkit_records_refused_total{reason="too_large"}': 1,
        'consentkit_records_refused_total{reason="rate_limited"}': 1,
        consentkit_storage_errors_total: 0,
        consentkit_erasures_total: 0,
        consentkit_auth_failures_total: 2,
        'consentkit_http_request_duration_seconds_count{route="record"}': 9,
        'consentkit_http_request_duration_seconds_bucket{route="record",le="+Inf"}': 9,
        'consentkit_http_request_duration_seconds_count{route="metrics"}': 1,
      };
      for (const [name, value] of Object.entries(expected)) assert.equal(values.get(name), value, name);
      // Buckets are cumulative.
      const buckets = [...values].filter(([name]) => name.startsWith('consentkit_http_request_duration_seconds_bucket{route="record"')).map(([, v]) => v);
      assert.deepEqual([...buckets].sort((a, b) => a - b), buckets);
    } finally {
      await closeServer(server);
      await handler.close();
    }
  });

  test('a failing database counts storage errors', async () => {
    const failing: ConsentStore = {
      insert: () => Promise.reject(new Error('connection terminated')),
      history: () => Promise.reject(new Error('connection terminated')),
      count: () => Promise.reject(new Error('connection terminated')),
      close: () => Promise.resolve(),
    };
    const handler = createConsentHandler({ ...QUIET, store: failing, allowedOrigins: [ORIGIN], publicMetrics: true });
    const { server, url, origin } = await serve(handler);
    try {
      assert.equal(await post(url, JSON.stringify(makeRecord())), 503);
      assert.equal((await fetch(`${origin}/healthz`)).status, 503);
      const values = samples(await (await fetch(`${origin}/metrics`)).text());
      assert.equal(values.get('consentkit_storage_errors_total'), 1);
      assert.equal(values.get('consentkit_records_received_total'), 1);
      assert.equal(values.get('consentkit_records_stored_total'), 0);
    } finally {
      await closeServer(server);
    }
  });

  test('/healthz answers 200 while the store answers and 503 with JSON once it is closed', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    const handler = createConsentHandler({ ...QUIET, store });
    const { server, origin } = await serve(handler);
    try {
      const up = await fetch(`${origin}/healthz`);
      assert.equal(up.status, 200);
      assert.deepEqual(await up.json(), { status: 'ok', storage: 'reachable' });
      await store.close();
      const down = await fetch(`${origin}/healthz`);
      assert.equal(down.status, 503);
      assert.match(down.headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(await down.json(), { status: 'unavailable', storage: 'unreachable' });
    } finally {
      await closeServer(server);
    }
  });

  test('one JSON line per request: method, route path, status, duration; no consent id, query, token or record', async () => {
    const lines: LogLine[] = [];
    const store = await openStore({ dataDir: 'memory://' });
    const handler = createConsentHandler({ store, allowedOrigins: [ORIGIN], readToken: READ, retainDays: false, logger: (line) => lines.push(line) });
    const { server, url } = await serve(handler);
    try {
      const record = makeRecord();
      assert.equal(await post(url, JSON.stringify(record)), 201);
      const res = await fetch(`${url}/${record.consentId}?token=${READ}&secret=s3cr3t`, { headers: { authorization: `Bearer ${READ}` } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      assert.equal((await fetch(`${url}/records?consentId=${record.consentId}`)).status, 401);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const requests = lines.filter((line) => line.msg == 'request');
      assert.deepEqual(
        requests.map(({ method, path, route, status }) => ({ method, path, route, status })),
        [
          { method: 'POST', path: '/api/consent', route: 'record', status: 201 },
          { method: 'GET', path: '/api/consent/:consentId', route: 'history', status: 200 },
          { method: 'GET', path: '/api/consent/records', route: 'records', status: 401 },
        ],
      );
      for (const line of requests) {
        assert.equal(line.level, 'info');
        assert.equal(typeof line.durationMs, 'number');
        assert.ok(!Number.isNaN(Date.parse(line.time)));
      }
      const configured = lines.find((line) => line.msg == 'configured');
      assert.deepEqual(
        configured && { storage: configured.storage, readToken: configured.readToken, adminToken: configured.adminToken, retainDays: configured.retainDays },
        { storage: 'custom store', readToken: true, adminToken: false, retainDays: false },
      );
      const all = lines.map((line) => JSON.stringify(line)).join('\n');
      for (const secret of [READ, 's3cr3t', record.consentId, record.recordId, record.url]) assert.ok(!all.includes(secret), `the log holds ${secret}`);
    } finally {
      await closeServer(server);
      await handler.close();
    }
  });

  test('log levels: silent writes nothing, error only errors; a bad level is refused naming the option', () => {
    const seen: string[] = [];
    const sink = (line: LogLine) => seen.push(`${line.level}:${line.msg}`);
    createLog('silent', sink)('error', 'nothing');
    const errorsOnly = createLog('error', sink);
    errorsOnly('info', 'request');
    errorsOnly('warn', 'careful');
    errorsOnly('error', 'storage failed');
    assert.deepEqual(seen, ['error:storage failed']);
    assert.throws(() => createConsentHandler({ logLevel: 'loud' as 'info' }), /^TypeError: logLevel must be one of/);
    assert.throws(() => createConsentHandler({ ...QUIET, retainDays: -3 }), /^TypeError: retainDays must be/);
  });
});

describe('consentkit-server flags', { timeout: 120_000 }, () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  test('bad values exit 2 naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--retain-days', 'forever'], /--retain-days must be a whole number/],
      [['--log-level', 'loud'], /--log-level must be one of/],
      [['--metrics-path', 'metrics'], /--metrics-path must be a URL path/],
      [['--token', 'x'], /Unknown option '--token'/],
      [['verify'], /verify takes one argument/],
      [['verify', '/nonexistent/export.ndjson'], /cannot read \/nonexistent\/export\.ndjson/],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
  });

  test('startup lines say what is configured, never the tokens; health and metrics answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentkit-pglite-'));
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--data', dir, '--origin', ORIGIN, '--retain-days', '500', '--public-metrics'], {
      cwd: ROOT,
      env: { ...process.env, CONSENTKIT_READ_TOKEN: READ, CONSENTKIT_ADMIN_TOKEN: 'admin-secret-0001' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /"url":"(http:\/\/[^"]+)\/api\/consent"/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => {
          reject(new Error(`exited ${code}: ${out}`));
        });
      });
      const lines = out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine);
      const configured = lines.find((line) => line.msg == 'configured');
      assert.ok(configured);
      assert.deepEqual(
        { storage: configured.storage, dataDir: configured.dataDir, allowedOrigins: configured.allowedOrigins, readToken: configured.readToken, adminToken: configured.adminToken, retainDays: configured.retainDays },
        { storage: 'PGlite', dataDir: dir, allowedOrigins: [ORIGIN], readToken: true, adminToken: true, retainDays: 500 },
      );
      assert.deepEqual(configured.metrics, { path: '/metrics', token: 'none' });
      assert.ok(!out.includes(READ) && !out.includes('admin-secret-0001'));
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      assert.match(await (await fetch(`${url}/metrics`)).text(), /consentkit_records_received_total 0/);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
