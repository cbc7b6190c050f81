// The `consentkit` command's input handling, run as a child process: usage errors exit 2 with a
// message naming the flag and no stack trace; a missing browser or sitemap too; --help exits 0.
// And the sitemap reader (--sitemap): same-origin pages, an index followed, --max-pages.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SitemapError, pagesFromSitemap, readLocations } from '../../src/scan/sitemap.js';
import { DIST_DIR, ROOT, startServer, type TestServer } from '../e2e/helpers.js';
import { runCli, spawnNode } from './run-cli.js';

let server: TestServer;
const xml = (path: string, body: string) => {
  server.route(path, ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  });
};

before(async () => {
  server = await startServer();
  const url = (path: string) => `<url><loc>${server.url}${path}</loc></url>`;
  xml('/sitemap.xml', `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${url('/')}${url('/a?x=1&amp;y=2')}<url><loc>https://elsewhere.example/</loc></url>${url('/b')}</urlset>`);
  xml('/index.xml', `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${server.url}/sitemap.xml</loc></sitemap><sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap></sitemapindex>`);
  xml('/empty.xml', '<urlset><url><loc>https://elsewhere.example/</loc></url></urlset>');
  server.page('/not-a-sitemap.html', '<!doctype html><title>no</title>');
  server.page('/no-kit.html', '<!doctype html><html lang="en"><title>No consentkit here</title><h1>Plain page</h1></html>');
});
after(() => server.close());

describe('consentkit usage errors', () => {
  const cases: [args: string[], message: RegExp][] = [
    [[], /no command given; the only command is "scan"/],
    [['scna', 'https://example.com/'], /unknown command "scna"/],
    [['scan'], /give the pages to scan .* or --sitemap <url>/],
    [['scan', 'example.com'], /each page to scan must be an absolute http\(s\) URL \(got "example.com"\)/],
    [['scan', 'ftp://example.com/'], /each page to scan must be an http\(s\) URL/],
    [['scan', '--sitemap', 'sitemap.xml'], /--sitemap must be an absolute http\(s\) URL/],
    [['scan', 'https://example.com/', '--max-pages', 'ten'], /--max-pages must be a whole number ≥ 1 \(got "ten"\)/],
    [['scan', 'https://example.com/', '--max-pages=0'], /--max-pages must be a whole number ≥ 1/],
    [['scan', 'https://example.com/', '--wait=-5'], /--wait must be a whole number ≥ 0/],
    [['scan', 'https://example.com/', '--timeout=10'], /--timeout must be a whole number ≥ 1000/],
    [['scan', 'https://example.com/', '--bogus'], /Unknown option '--bogus'/],
    [['scan', 'https://example.com/', '--markdown'], /--markdown/],
    [['scan', 'https://example.com/', '--chrome-arg', '--lang=de'], /--chrome-arg/],
    [['scan', 'https://example.com/', '--allow='], /--allow needs a pattern/],
  ];
  for (const [args, message] of cases)
    it(`consentkit ${args.join(' ') || '(nothing)'} → exit 2, naming the problem`, async () => {
      const { code, stdout, stderr } = await runCli(args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      assert.equal(stdout, '');
    });

  it('--help prints every option and exits 0', async () => {
    const { code, stdout } = await runCli(['scan', '--help']);
    assert.equal(code, 0);
    for (const flag of ['--sitemap', '--max-pages', '--allow', '--json', '--markdown', '--config-draft', '--chrome-arg', '--wait', '--timeout'])
      assert.ok(stdout.includes(flag), flag);
  });

  it('without a browser: exit 2 and how to get one, nothing downloaded', async () => {
    const { code, stderr } = await runCli(['scan', `${server.url}/`], { ...process.env, CHROME_PATH: '/nonexistent/chromium' });
    assert.equal(code, 2);
    assert.match(stderr, /CHROME_PATH is set to "\/nonexistent\/chromium", but no file exists there/);
    assert.match(stderr, /never downloads one/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  it('a page without consentkit: reported as not scanned, exit 1', { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await runCli(['scan', `${server.url}/no-kit.html`, '--timeout=5000', '--wait=0']);
    assert.equal(code, 1, stderr);
    assert.match(stdout, /✗ http:\/\/127\.0\.0\.1:\d+\/no-kit\.html: not scanned: consentkit is not on this page \(window\.consentkit never appeared\)/);
    assert.match(stdout, /1 page, 0 violations, 1 page not scanned/);
  });

  // The package as a site installs it (dist/, catalog/, package.json), with js-cookie and the
  // optional peer dependencies named in `peers`, linked from this repository.
  const installedWith = async (peers: string[]) => {
    const site = mkdtempSync(join(tmpdir(), 'consentkit-missing-peers-'));
    try {
      const installed = join(site, 'node_modules', 'consentkit');
      mkdirSync(installed, { recursive: true });
      cpSync(join(DIST_DIR, 'esm'), join(installed, 'dist', 'esm'), { recursive: true });
      cpSync(join(ROOT, 'catalog'), join(installed, 'catalog'), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
      for (const name of ['js-cookie', ...peers]) symlinkSync(join(ROOT, 'node_modules', name), join(site, 'node_modules', name), 'dir');
      writeFileSync(join(site, 'package.json'), '{ "name": "a-site", "private": true }');
      return await spawnNode([join(installed, 'dist', 'esm', 'scan', 'cli.js'), 'scan', `${server.url}/`], { cwd: site });
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  };

  it('installed without playwright-core and tldts: exit 2 naming both and the install command', async () => {
    const { code, stderr } = await installedWith([]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /needs playwright-core \(to drive Chromium\) and tldts \(to tell sites apart by the Public Suffix List\), which are not installed/);
    assert.match(stderr, /npm install --save-dev playwright-core tldts/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  it('installed without tldts: exit 2 naming it, never a scan that tells sites apart roughly', async () => {
    const { code, stderr } = await installedWith(['playwright-core', 'tldts-core']);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /needs tldts \(to tell sites apart by the Public Suffix List\), which is not installed/);
    assert.match(stderr, /npm install --save-dev tldts/);
    assert.doesNotMatch(stderr, /playwright-core/);
  });

  it('an unreadable sitemap: exit 2 naming it', async () => {
    const missing = await runCli(['scan', '--sitemap', `${server.url}/missing.xml`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /the sitemap http:\/\/127\.0\.0\.1:\d+\/missing\.xml answered HTTP 404/);
    const html = await runCli(['scan', '--sitemap', `${server.url}/not-a-sitemap.html`]);
    assert.equal(html.code, 2);
    assert.match(html.stderr, /not-a-sitemap\.html is not a sitemap/);
  });
});

describe('the sitemap reader', () => {
  it('reads <loc> addresses with their entities decoded', () => {
    assert.deepEqual(readLocations('<urlset><url><loc> https://a.example/?q=1&amp;r=&lt;2&gt; </loc></url><url><loc>https://a.example/b</loc></url></urlset>'), [
      'https://a.example/?q=1&r=<2>',
      'https://a.example/b',
    ]);
  });

  it("keeps the sitemap's own origin, in order, at most --max-pages", async () => {
    assert.deepEqual(await pagesFromSitemap(`${server.url}/sitemap.xml`, 20), [`${server.url}/`, `${server.url}/a?x=1&y=2`, `${server.url}/b`]);
    assert.deepEqual(await pagesFromSitemap(`${server.url}/sitemap.xml`, 2), [`${server.url}/`, `${server.url}/a?x=1&y=2`]);
  });

  it('follows an index to its same-origin sitemaps', async () => {
    assert.deepEqual(await pagesFromSitemap(`${server.url}/index.xml`, 20), [`${server.url}/`, `${server.url}/a?x=1&y=2`, `${server.url}/b`]);
  });

  it('says so when no page is left', async () => {
    await assert.rejects(pagesFromSitemap(`${server.url}/empty.xml`, 20), (error: unknown) => error instanceof SitemapError && error.message.includes(`lists no page on ${server.url}`));
  });
});
