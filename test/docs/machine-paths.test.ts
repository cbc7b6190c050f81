// No file in the repository names a path of one machine: a fresh clone elsewhere must
// work as it does here, and the docs must read the same for everyone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../e2e/helpers.js';

/** Absolute paths that only exist on one machine (a home folder, a workspace, a temporary build). */
const MACHINE_PATH = /(?<![\w.])(?:\/work\/|\/root\/|\/home\/[a-z_][\w-]*\/|\/Users\/[\w.-]+\/|[A-Z]:\\Users\\)/;

test('no tracked file names a path of one machine', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  const offenders = files
    .filter((file) => !/\.(png|jpe?g|gif|ico|woff2?|wasm)$/i.test(file) && file != 'package-lock.json')
    .filter((file) => MACHINE_PATH.test(readFileSync(join(ROOT, file), 'utf8')))
    // This file names the patterns it looks for.
    .filter((file) => file != 'test/docs/machine-paths.test.ts');
  assert.deepEqual(offenders, []);
});
