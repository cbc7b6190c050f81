// Every link in the README and the docs that points into the repository resolves:
// the file exists, and a #fragment names a heading of that file (as GitHub makes
// heading ids) or an explicit anchor. Links to other sites are not fetched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../e2e/helpers.js';

/** The Markdown files a reader follows: the README, the changelog, CONTRIBUTING and every page of docs/ (and its folders). */
const pages = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
const FILES = [join(ROOT, 'README.md'), join(ROOT, 'CHANGELOG.md'), join(ROOT, 'CONTRIBUTING.md'), ...pages(join(ROOT, 'docs'))];

/** Markdown without fenced code blocks, where a `#` line is no heading. */
const withoutFences = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
/** Markdown without any code, where link-like text is not a link. */
const prose = (markdown: string) => withoutFences(markdown).replace(/`[^`\n]*`/g, '');

/** GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2…. */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n ? `${base}-${n}` : base);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) ids.add(id);
  return ids;
}

/** Every link target of a page: `[text](target)` and `[label]: target` definitions. */
const targets = (markdown: string): string[] =>
  [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => (m[1] as string | undefined) ?? m[2]);

describe('links in the README and docs', () => {
  for (const file of FILES)
    it(`${relative(ROOT, file)}: every link into the repository resolves`, () => {
      const broken: string[] = [];
      for (const target of targets(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto: and the like
        const [path, fragment] = target.split('#');
        const to = path ? join(dirname(file), decodeURIComponent(path)) : file;
        if (!existsSync(to)) {
          broken.push(`${target} (no such file)`);
          continue;
        }
        if (fragment && statSync(to).isFile() && to.endsWith('.md') && !headingIds(readFileSync(to, 'utf8')).has(decodeURIComponent(fragment)))
          broken.push(`${target} (no such heading)`);
      }
      assert.deepEqual(broken, []);
    });
});
