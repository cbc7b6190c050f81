// Lockout after failed tokens on the operator routes, over real HTTP on 127.0.0.1 (PGlite in
// memory): counted per client address (given through X-Forwarded-For behind one trusted
// proxy), 429 with Retry-After before any token is compared, a warning line, the window's end,
// the option, the flag and the environment variable; then the counters' table on its own.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createConsentHandler, openStore, type ConsentHandlerOptions, type ConsentStore, type LogLine } from '../../src/server/index.js';
import { addressKey, Lockout } from '../../src/server/lockout.js';
import { listening, startCli } from './cli.js';
import { closeServer, QUIET, serve } from './http.js';
import { temporaryFolder } from './stores.js';

const READ = 'read-token-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';
const CONSENT_ID = '0b0e7f5c-3a39-4c1e-9a6e-2f4b1c9d8e7a';

let store: ConsentStore;
before(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
after(() => store.close());

/** Serves a handler with both tokens behind one trusted proxy; `get` asks as `address`. */
async function endpoint(options: ConsentHandlerOptions = {}) {
  const handler = createConsentHandler({ ...QUIET, store, readToken: READ, adminToken: ADMIN, trustProxy: true, retainDays: false, ...options });
  const { server, origin } = await serve(handler);
  const ask = async (address: string, path: string, token: string | null, method = 'GET') => {
    const headers: Record<string, string> = { 'x-forwarded-for': address };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${origin}${path}`, { method, headers, body: method == 'DELETE' ? '{"reason":"ticket 1"}' : undefined });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
  };
  /** Statuses of `n` requests to `/api/consent/records` from `address` with `token`. */
  const statuses = async (address: string, token: string | null, n: number) => {
    const seen: number[] = [];
    for (let i = 0; i < n; i++) seen.push((await ask(address, '/api/consent/records', token)).status);
    return seen;
  };
  return { handler, ask, statuses, close: () => closeServer(server) };
}

describe('lockout after failed tokens', { timeout: 120_000 }, () => {
  test('by default 10 failures from one address in 15 minutes lock it: 429 with Retry-After, even with the right token', async () => {
    const { ask, statuses, close } = await endpoint();
    try {
      assert.deepEqual(await statuses('203.0.113.1', 'guess', 10), Array<number>(10).fill(401));
      const locked = await ask('203.0.113.1', '/api/consent/records', READ);
      assert.equal(locked.status, 429);
      const retryAfter = Number(locked.retryAfter);
      assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${locked.retryAfter}`);
      assert.match((JSON.parse(locked.body) as { error: string }).error, /too many failed tokens/);
    } finally {
      await close();
    }
  });

  test('every operator route is locked; posting records and the health check are not', async () => {
    const { ask, statuses, close } = await endpoint({ authFailureLimit: { max: 3, windowMs: 60_000 }, allowedOrigins: '*' });
    try {
      assert.deepEqual(await statuses('198.51.100.7', 'guess', 4), [401, 401, 401, 429]);
      const routes: [path: string, token: string, method?: string][] = [
        [`/api/consent/${CONSENT_ID}`, READ],
        ['/api/consent/records', READ],
        ['/api/consent/export', READ],
        ['/api/consent/digests', READ],
        ['/api/consent/erasures', READ],
        [`/api/consent/${CONSENT_ID}`, ADMIN, 'DELETE'],
        ['/metrics', READ],
        ['/admin', ADMIN],
        ['/admin/api/filters', ADMIN],
      ];
      for (const [path, token, method] of routes) {
        const res = await ask('198.51.100.7', path, token, method);
        assert.equal(res.status, 429, `${method ?? 'GET'} ${path}`);
        assert.ok(Number(res.retryAfter) > 0, `${path}: Retry-After ${res.retryAfter}`);
        // Another address, with the right token, gets its answer.
        assert.notEqual((await ask('198.51.100.8', path, token, method)).status, 429, `${path} from another address`);
      }
      assert.equal((await ask('198.51.100.7', '/healthz', null)).status, 200);
    } finally {
      await close();
    }
  });

  test('failures on the dashboard API count too; the read token on an admin route (403) does not', async () => {
    const { ask, statuses, close } = await endpoint({ authFailureLimit: { max: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await ask('192.0.2.20', `/api/consent/${CONSENT_ID}`, READ, 'DELETE')).status, 403);
      assert.deepEqual(await statuses('192.0.2.20', READ, 1), [200]);
      for (let i = 0; i < 3; i++) assert.equal((await ask('192.0.2.20', '/admin/api/filters', 'guess')).status, 401);
      assert.deepEqual(await statuses('192.0.2.20', READ, 1), [429]);
    } finally {
      await close();
    }
  });

  test('addresses are counted apart; successes are not counted and a right token unlocks no other address', async () => {
    const { statuses, close } = await endpoint({ authFailureLimit: { max: 3, windowMs: 60_000 } });
    try {
      assert.deepEqual(await statuses('192.0.2.1', READ, 20), Array<number>(20).fill(200));
      assert.deepEqual(await statuses('192.0.2.1', 'guess', 2), [401, 401]);
      assert.deepEqual(await statuses('192.0.2.1', READ, 5), Array<number>(5).fill(200));
      assert.deepEqual(await statuses('192.0.2.1', 'guess', 2), [401, 429]);
      assert.deepEqual(await statuses('192.0.2.2', READ, 1), [200]);
      assert.deepEqual(await statuses('192.0.2.1', READ, 1), [429]);
      // A forged entry left of the proxy's does not give a fresh budget.
      assert.deepEqual(await statuses('10.9.9.9, 192.0.2.1', READ, 1), [429]);
      // The addresses of one IPv6 /64 share a budget.
      assert.deepEqual(await statuses('2001:db8:1:2::a', 'guess', 2), [401, 401]);
      assert.deepEqual(await statuses('2001:db8:1:2:ffff::b', 'guess', 2), [401, 429]);
      assert.deepEqual(await statuses('2001:db8:1:3::a', READ, 1), [200]);
    } finally {
      await close();
    }
  });

  test('a lockout logs one warning line naming the address; locked requests are counted in /metrics', async () => {
    const lines: LogLine[] = [];
    const { ask, statuses, close } = await endpoint({ logLevel: 'warn', logger: (line) => lines.push(line), authFailureLimit: { max: 2, windowMs: 60_000 } });
    try {
      assert.deepEqual(await statuses('192.0.2.30', 'guess', 5), [401, 401, 429, 429, 429]);
      const warnings = lines.filter((line) => line.level == 'warn');
      assert.equal(warnings.length, 1, JSON.stringify(lines));
      assert.equal(warnings[0].address, '192.0.2.30');
      assert.match(warnings[0].msg, /locked/);
      assert.ok(!JSON.stringify(lines).includes('guess'), 'no token in the log');
      const metrics = (await ask('192.0.2.31', '/metrics', READ)).body;
      assert.match(metrics, /^consentkit_auth_failures_total 2$/m);
      assert.match(metrics, /^consentkit_auth_locked_total 3$/m);
    } finally {
      await close();
    }
  });

  test('the lock ends with its window', async () => {
    const { statuses, close } = await endpoint({ authFailureLimit: { max: 2, windowMs: 400 } });
    try {
      assert.deepEqual(await statuses('192.0.2.40', 'guess', 3), [401, 401, 429]);
      await new Promise((resolve) => setTimeout(resolve, 450));
      assert.deepEqual(await statuses('192.0.2.40', READ, 1), [200]);
      assert.deepEqual(await statuses('192.0.2.40', 'guess', 3), [401, 401, 429]);
    } finally {
      await close();
    }
  });

  test('authFailureLimit: false counts nothing; bad values are refused naming the option', async () => {
    const { statuses, close } = await endpoint({ authFailureLimit: false });
    try {
      assert.deepEqual(await statuses('192.0.2.50', 'guess', 30), Array<number>(30).fill(401));
    } finally {
      await close();
    }
    for (const authFailureLimit of [{ max: 0, windowMs: 1000 }, { max: 2.5, windowMs: 1000 }, { max: 5, windowMs: 0 }, { max: 5 }, null, true] as unknown as false[])
      assert.throws(() => createConsentHandler({ ...QUIET, store, authFailureLimit }), /^TypeError: authFailureLimit must be/);
  });

  test('consentkit-server --auth-failure-limit and CONSENTKIT_AUTH_FAILURE_LIMIT', async () => {
    const dir = temporaryFolder();
    const tokens = { CONSENTKIT_READ_TOKEN: READ };
    try {
      const bad = await startCli(dir, ['--auth-failure-limit', 'few'], tokens).started;
      assert.ok(!('url' in bad) && bad.code == 2 && bad.stderr.includes('--auth-failure-limit must be a whole number'), JSON.stringify(bad));
      const badEnv = await startCli(dir, [], { ...tokens, CONSENTKIT_AUTH_FAILURE_LIMIT: '-1' }).started;
      assert.ok(!('url' in badEnv) && badEnv.code == 2 && badEnv.stderr.includes('CONSENTKIT_AUTH_FAILURE_LIMIT must be a whole number'), JSON.stringify(badEnv));

      const guesses = async (url: string, n: number) => {
        const seen: number[] = [];
        for (let i = 0; i < n; i++) seen.push((await fetch(`${url}/records`, { headers: { authorization: 'Bearer guess' } })).status);
        return seen;
      };
      for (const [args, env, expected] of [
        [['--auth-failure-limit', '2'], tokens, [401, 401, 429]],
        [[], { ...tokens, CONSENTKIT_AUTH_FAILURE_LIMIT: '3' }, [401, 401, 401, 429]],
        [['--auth-failure-limit', '0'], { ...tokens, CONSENTKIT_AUTH_FAILURE_LIMIT: '3' }, [401, 401, 401, 401, 401]],
      ] as [string[], Record<string, string>, number[]][]) {
        const cli = startCli(dir, args, env);
        try {
          assert.deepEqual(await guesses(await listening(cli), expected.length), expected, JSON.stringify({ args, env }));
        } finally {
          await cli.kill('SIGTERM');
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Lockout', () => {
  test('locks at max failures for the rest of the window, then forgets', () => {
    const lockout = new Lockout({ max: 3, windowMs: 10_000 });
    assert.equal(lockout.fail('192.0.2.1', 1_000), false);
    assert.equal(lockout.fail('192.0.2.1', 2_000), false);
    assert.equal(lockout.retryAfter('192.0.2.1', 2_000), 0);
    assert.equal(lockout.fail('192.0.2.1', 3_000), true);
    assert.equal(lockout.retryAfter('192.0.2.1', 3_000), 8);
    assert.equal(lockout.retryAfter('192.0.2.1', 10_500), 1);
    assert.equal(lockout.retryAfter('192.0.2.2', 3_000), 0);
    assert.equal(lockout.retryAfter('192.0.2.1', 11_000), 0);
    assert.equal(lockout.size, 0);
  });

  test('memory stays bounded: expired entries go, and past the cap the oldest', () => {
    const lockout = new Lockout({ max: 2, windowMs: 1_000 }, 100);
    for (let i = 0; i < 100; i++) lockout.fail(`10.0.0.${i}`, i);
    assert.equal(lockout.size, 100);
    lockout.fail('10.0.1.0', 100);
    assert.equal(lockout.size, 100);
    // The oldest went to make room; the newest stayed.
    lockout.fail('10.0.0.0', 101);
    assert.equal(lockout.retryAfter('10.0.0.0', 101), 0);
    lockout.fail('10.0.1.0', 102);
    assert.equal(lockout.retryAfter('10.0.1.0', 102), 1);
    // A second later everything from the first batch has expired.
    lockout.fail('10.0.2.0', 1_100);
    assert.equal(lockout.size, 2);
    // A flood of fresh addresses never grows the table past its cap.
    for (let i = 0; i < 10_000; i++) lockout.fail(`172.16.${i >> 8}.${i & 255}`, 1_200);
    assert.equal(lockout.size, 100);
  });

  test('addressKey: IPv4 as it is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    const cases: [string, string][] = [
      ['192.0.2.1', '192.0.2.1'],
      ['::ffff:192.0.2.1', '192.0.2.1'],
      ['::FFFF:192.0.2.1', '192.0.2.1'],
      ['::1', '0:0:0:0::/64'],
      ['2001:db8::1', '2001:db8:0:0::/64'],
      ['2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd', '2001:db8:0:1::/64'],
      ['2001:DB8:0:1::', '2001:db8:0:1::/64'],
      ['1::2:3:4:5:1.2.3.4', '1:0:2:3::/64'],
      ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
      ['unknown', 'unknown'],
      ['', ''],
    ];
    for (const [address, key] of cases) assert.equal(addressKey(address), key, address);
  });
});
