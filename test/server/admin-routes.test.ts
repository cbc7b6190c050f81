// The dashboard's routes over real HTTP on 127.0.0.1 (PGlite in memory): the admin
// token on every API route, each route's answer against the records stored, bad
// parameters refused with 400 naming them, and the page's headers.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createConsentHandler, openStore, type ConsentStore } from '../../src/server/index.js';
import { demoRecords } from '../../src/server/admin/demo-records.js';

const ADMIN_TOKEN = 'admin-token-0123456789';
const API_ROUTES = ['filters', 'categories', 'actions', 'records'];
const NOW = new Date();
const today = NOW.toISOString().slice(0, 10);
const monthAgo = new Date(NOW.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);

let store: ConsentStore;
let server: Server;
let origin = '';
const records = demoRecords({ count: 400, days: 20, now: NOW, seed: 3 });

before(async () => {
  store = await openStore({ dataDir: 'memory://' });
  await store.importRecords?.(records);
  server = createServer(createConsentHandler({ store, adminToken: ADMIN_TOKEN, token: 'history-token-0123456789', rateLimit: false, authFailureLimit: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address == 'object' && address ? address.port : 0}`;
});
after(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
  await store.close();
});

/** GETs `path` with the admin token (or `token`), returning status, headers and JSON. */
async function get(path: string, token: string | null = ADMIN_TOKEN) {
  const res = await fetch(`${origin}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> & { error?: string } };
}

describe('/admin/api', { timeout: 120_000 }, () => {
  for (const route of API_ROUTES) {
    test(`${route}: 401 without a token, with a wrong one, and with the history token`, async () => {
      for (const token of [null, 'wrong-token', 'history-token-0123456789', `${ADMIN_TOKEN}x`]) {
        const res = await get(`/admin/api/${route}`, token);
        assert.equal(res.status, 401, `token ${token ?? '(none)'}`);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
        assert.match(res.json.error ?? '', /admin token/);
        assert.ok(!res.text.includes('EU'), 'no data in a refusal');
      }
    });
  }

  test('no admin token configured: every API route answers 401', async () => {
    const bare = createServer(createConsentHandler({ store, rateLimit: false }));
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const address = bare.address();
    try {
      for (const route of API_ROUTES) {
        const res = await fetch(`http://127.0.0.1:${typeof address == 'object' && address ? address.port : 0}/admin/api/${route}`, {
          headers: { authorization: 'Bearer ' },
        });
        assert.equal(res.status, 401, route);
      }
    } finally {
      await new Promise<void>((resolve) => {
        bare.close(() => {
          resolve();
        });
      });
    }
  });

  test('filters: the regions, languages and revisions the records hold, and the days', async () => {
    const res = await get('/admin/api/filters');
    assert.equal(res.status, 200);
    const set = (values: string[]) => [...new Set(values)].sort();
    assert.deepEqual(res.json.regions, set(records.map(({ record }) => record.region ?? '')));
    assert.deepEqual(res.json.languages, set(records.map(({ record }) => record.language)));
    assert.deepEqual(res.json.revisions, set(records.map(({ record }) => record.revision)));
    assert.equal(res.json.firstDay, records[0].record.updatedAt.slice(0, 10));
    assert.equal(res.json.lastDay, records[records.length - 1].record.updatedAt.slice(0, 10));
  });

  test('categories and actions: the last 60 days by default, counted per day, in a slice', async () => {
    const categories = await get('/admin/api/categories');
    assert.equal(categories.status, 200);
    assert.equal(categories.json.to, today);
    assert.equal(categories.json.from, new Date(Date.parse(`${today}T00:00:00Z`) - 59 * 86_400_000).toISOString().slice(0, 10));
    const days = categories.json.days as { category: string; granted: number; refused: number }[];
    const analytics = days.filter((day) => day.category == 'analytics');
    assert.equal(
      analytics.reduce((sum, day) => sum + day.granted, 0),
      records.filter(({ record }) => record.categories.analytics).length,
    );

    const actions = await get(`/admin/api/actions?region=EU&language=de&from=${monthAgo}&to=${today}`);
    assert.equal(actions.status, 200);
    const counted = (actions.json.days as { records: number }[]).reduce((sum, day) => sum + day.records, 0);
    assert.equal(counted, records.filter(({ record }) => record.region == 'EU' && record.language == 'de').length);
    assert.ok(counted > 0);

    // region= (empty) is the records sent without a region.
    const none = await get(`/admin/api/actions?region=&from=${monthAgo}&to=${today}`);
    assert.equal(
      (none.json.days as { records: number }[]).reduce((sum, day) => sum + day.records, 0),
      records.filter(({ record }) => record.region === undefined).length,
    );
  });

  test('records: the latest decisions, newest first, limited and sliced', async () => {
    const res = await get('/admin/api/records?limit=7&revision=3');
    assert.equal(res.status, 200);
    const latest = res.json.records as { receivedAt: string; record: { revision: string; recordId: string } }[];
    assert.equal(latest.length, 7);
    const expected = records
      .filter(({ record }) => record.revision == '3')
      .sort((a, b) => (a.record.updatedAt < b.record.updatedAt ? 1 : -1))
      .slice(0, 7)
      .map(({ record }) => record.recordId);
    assert.deepEqual(
      latest.map(({ record }) => record.recordId),
      expected,
    );
  });

  const BAD: [string, RegExp][] = [
    ['categories?from=2026-02-30', /^from must be a day that exists/],
    ['categories?to=yesterday', /^to must be a day/],
    ['actions?from=2026-05-02&to=2026-05-01', /^from \(2026-05-02\) must not be after to/],
    ['actions?from=2020-01-01&to=2026-01-01', /^from and to must span at most 731 days/],
    ['actions?region=E%20U', /^region must be a region code/],
    ['actions?language=english%3B', /^language must be a BCP 47/],
    ['categories?revision=%27%3Bdrop', /^revision must be a revision/],
    ['categories?region=EU&region=GB', /^region is given more than once/],
    ['categories?colour=red', /^colour is not a parameter of this route/],
    ['records?limit=0', /^limit must be a whole number from 1 to 200/],
    ['records?limit=201', /^limit must be/],
    ['records?limit=1e2', /^limit must be/],
    ['records?from=2026-01-01', /^from is not a parameter/],
    ['filters?region=EU', /^region is not a parameter of this route \(it takes none\)/],
  ];
  for (const [path, message] of BAD)
    test(`400 naming the parameter: ${path}`, async () => {
      const res = await get(`/admin/api/${path}`);
      assert.equal(res.status, 400);
      assert.match(res.json.error ?? '', message);
    });

  test('a failing database: 503 with Retry-After, and one log line without the query', async () => {
    const failing = (): Promise<never> => Promise.reject(Object.assign(new Error('connection terminated\nSELECT secret'), { code: '57P01' }));
    const broken: ConsentStore = {
      ...store,
      dashboard: { categoriesByDay: failing, actionsByDay: failing, filterValues: failing, latestRecords: failing },
    };
    const failingServer = createServer(createConsentHandler({ store: broken, adminToken: ADMIN_TOKEN, rateLimit: false }));
    await new Promise<void>((resolve) => failingServer.listen(0, '127.0.0.1', resolve));
    const address = failingServer.address();
    const logged = console.error;
    const lines: string[] = [];
    console.error = (...args: unknown[]) => lines.push(args.map(String).join(' '));
    try {
      const res = await fetch(`http://127.0.0.1:${typeof address == 'object' && address ? address.port : 0}/admin/api/actions`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '30');
      assert.deepEqual(lines, ['[consentkit] dashboard error: storage failed (Error 57P01)']);
    } finally {
      console.error = logged;
      await new Promise<void>((resolve) => {
        failingServer.close(() => {
          resolve();
        });
        failingServer.closeAllConnections();
      });
    }
  });

  test('other methods 405, unknown routes 404', async () => {
    const post = await fetch(`${origin}/admin/api/filters`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(post.status, 405);
    for (const path of ['/admin/api/nothing', '/admin/api/constructor', '/admin/api', '/admin/assets/other.js', '/admin/other']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
    }
  });
});

describe('/admin page', { timeout: 60_000 }, () => {
  test('is served without a token, with a strict Content-Security-Policy and no inline script', async () => {
    const res = await get('/admin', null);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.doesNotMatch(res.text, /<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
    assert.ok(!res.text.includes(ADMIN_TOKEN));
  });

  test('its script and styles come from the build', async () => {
    for (const [path, type] of [
      ['/admin/assets/dashboard.js', /^text\/javascript/],
      ['/admin/assets/dashboard.css', /^text\/css/],
    ] as const) {
      const res = await get(path, null);
      assert.equal(res.status, 200, `${path} (run npm run build first)`);
      assert.match(res.headers.get('content-type') ?? '', type);
      assert.ok(res.text.length > 1000);
    }
  });

  test('the sign-in form posted without its script: 303 back to /admin, the token unread and not in the URL', async () => {
    const res = await fetch(`${origin}/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${ADMIN_TOKEN}`,
      redirect: 'manual',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin');
  });
});
