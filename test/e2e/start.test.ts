// What `npm start` prints (scripts/start.mjs prints demoAddresses()): every address in that
// text answers, on the demo server started the way `npm start` starts it.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { demoAddresses, startDemo, type Demo } from '../../scripts/demo-server.mjs';
import { makeRecord } from '../server/fixtures.js';

let demo: Demo;
test.beforeAll(async () => {
  demo = await startDemo({ port: 0, dataDir: 'memory://' });
});
test.afterAll(async () => {
  await demo.close();
});

test('npm start: every printed address answers 2xx (the endpoint to a POST of a record)', async () => {
  const printed = demoAddresses(demo.url);
  const addresses = [...printed.matchAll(/(?:(POST) )?(http:\/\/\S+)/g)].map(([, method = 'GET', url]) => ({ method, url }));
  assert.ok(addresses.length >= 6, printed);
  assert.ok(addresses.every(({ url }) => url.startsWith(`${demo.url}/`)), printed);
  const failures: string[] = [];
  for (const { method, url } of addresses) {
    const res =
      method == 'POST'
        ? await fetch(url, { method, headers: { origin: demo.url, 'content-type': 'application/json' }, body: JSON.stringify(makeRecord()) })
        : await fetch(url);
    await res.arrayBuffer();
    if (res.status < 200 || res.status > 299) failures.push(`${method} ${url} → ${res.status}`);
  }
  assert.deepEqual(failures, []);
});
