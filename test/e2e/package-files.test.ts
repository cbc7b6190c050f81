// The npm package holds what users import and run, and nothing else: `npm pack --dry-run`
// (on the built dist/) against test/package-files.txt, which says what may and must ship.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ROOT } from './helpers.js';

const LIST = 'test/package-files.txt';

/** A glob as a RegExp over a whole path: `*` within one segment, `**` across segments. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c == '*') source += '[^/]*';
    else if (c == '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function readList() {
  const entries = readFileSync(join(ROOT, LIST), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const rule = (glob: string) => ({ glob, re: globToRegExp(glob) });
  return {
    allowed: entries.filter((e) => !e.startsWith('!')).map(rule),
    forbidden: entries.filter((e) => e.startsWith('!')).map((e) => rule(e.slice(1))),
  };
}

function packedFiles(): string[] {
  const npm = process.platform == 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', shell: process.platform == 'win32' });
  assert.equal(result.status, 0, `npm pack --dry-run failed: ${result.stderr}`);
  const [pack] = JSON.parse(result.stdout) as [{ files: { path: string }[] }];
  return pack.files.map((f) => f.path).sort();
}

/** Every file package.json points at: main, module, types, bin, exports, sideEffects, customElements, … */
function referencedFiles(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value == 'string') {
      if (value.startsWith('./') || value.startsWith('dist/')) found.add(value.replace(/^\.\//, ''));
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value == 'object') Object.values(value).forEach(walk);
  };
  for (const field of ['main', 'module', 'types', 'bin', 'exports', 'sideEffects', 'customElements', 'unpkg', 'jsdelivr']) walk(pkg[field]);
  return [...found].sort();
}

test(`the npm package ships exactly what ${LIST} allows`, () => {
  const { allowed, forbidden } = readList();
  const packed = packedFiles();
  const problems: string[] = [];
  for (const path of packed) {
    const banned = forbidden.find(({ re }) => re.test(path));
    if (banned) problems.push(`+ ${path}   (packed, but ${LIST} says !${banned.glob})`);
    else if (!allowed.some(({ re }) => re.test(path))) problems.push(`+ ${path}   (packed, not in ${LIST})`);
  }
  for (const { glob, re } of allowed)
    if (!packed.some((path) => re.test(path))) problems.push(`- ${glob}   (in ${LIST}, nothing packed matches)`);
  for (const path of referencedFiles()) if (!packed.includes(path)) problems.push(`- ${path}   (package.json points at it, not packed)`);
  assert.ok(
    problems.length == 0,
    `The package differs from ${LIST} (+ packed but not expected, - expected but not packed).\n` +
      `Fix package.json#files or the build, or update ${LIST} if the change is intended:\n${problems.join('\n')}`,
  );
});
