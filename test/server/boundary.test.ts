// Browser code must never pull in the Node-only endpoint (or its drivers). The Node-only
// folders are the endpoint (src/server) and the site scanner's command (src/scan).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../e2e/helpers.js';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

test('no file outside src/server and src/scan imports the server, node: modules or database drivers', () => {
  const src = join(ROOT, 'src');
  const offenders = files(src)
    .filter((f) => f.endsWith('.ts') && !/^(server|scan)\//.test(relative(src, f).split('\\').join('/')))
    .filter((f) => /from\s+['"](\.\.?\/)*server\/|from\s+['"]node:|import\(['"](pg|@electric-sql)/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
