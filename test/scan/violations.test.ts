// `consentkit scan` on local pages with deliberate violations: an unmarked tracker served under a
// real catalog host (Chromium maps the host to 127.0.0.1), a cookie set before consent, a cookie
// consentkit cannot delete on withdrawal (HttpOnly), a cookie and a request after Reject all, and a
// request between two sites under one two-label public suffix (shop.co.uk → tracker.co.uk).
// The real CLI runs as a child process against the built dist/; CI would see exit code 1.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { UnplacedItem } from '../../src/scan/draft.js';
import type { ScanReport, Violation } from '../../src/scan/scan.js';
import type { ConsentConfig } from '../../src/gate/core/config.js';
import { ROOT, startServer, type TestServer } from '../e2e/helpers.js';
import { runCli, type CliResult } from './run-cli.js';

const HOSTS =
  '--chrome-arg=--host-resolver-rules=MAP www.googletagmanager.com 127.0.0.1, MAP i.ytimg.com 127.0.0.1, MAP shop.co.uk 127.0.0.1, MAP tracker.co.uk 127.0.0.1';

/** A page with the consentkit tag first in <head> (no records sent), then `head`. */
const kitPage = (head: string, config: object = {}) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scan test</title>
<script type="application/json" id="consentkit-config">${JSON.stringify({ revision: 1, report: false, ...config })}</script>
<script src="/dist/consentkit.js"></script>
${head}
</head><body><h1>A page</h1></body></html>`;

let server: TestServer;
let work: string;
let run: CliResult;
let report: ScanReport;
const page = (path: string) => `${server.url}${path}`;
/** The page served as http://shop.co.uk:<port>/: another site than tracker.co.uk, though both end in co.uk. */
const coUkPage = () => `http://shop.co.uk:${new URL(server.url).port}/co-uk.html`;

before(async () => {
  server = await startServer();
  work = mkdtempSync(join(tmpdir(), 'consentkit-scan-'));
  const port = new URL(server.url).port;
  const script = (path: string, code: string, headers: Record<string, string> = {}) => {
    server.route(path, ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store', ...headers });
      res.end(code);
    });
  };
  // A stand-in for gtag.js, requested from www.googletagmanager.com: sets _ga like the real one.
  script('/gtag/js', "document.cookie = '_ga=GA1.1.1.1; Path=/; Max-Age=3600';");
  server.page('/unmarked-tracker.html', kitPage(`<script async src="http://www.googletagmanager.com:${port}/gtag/js?id=G-TEST"></script>`));

  // One cookie the catalog names (YouTube's) and one nothing names.
  server.page('/cookie-before-consent.html', kitPage("<script>document.cookie = 'YSC=early; Path=/'; document.cookie = 'visitor_id=1; Path=/; Max-Age=86400';</script>"));

  // Marked and listed, but set by the server HttpOnly: page code (consentkit too) cannot delete it.
  script('/http-only-cookie.js', '', { 'set-cookie': '_ga=GA1.1.2.2; Path=/; Max-Age=3600; HttpOnly' });
  server.page(
    '/kept-after-withdrawal.html',
    kitPage('<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="/http-only-cookie.js"></script>', {
      categories: [
        { id: 'necessary', required: true },
        { id: 'analytics', services: [{ id: 'google-analytics', catalog: 'google-analytics', cookies: [{ name: '_ga*' }] }] },
      ],
    }),
  );

  // Page code that ignores the choice: on any decision it sets a YouTube cookie and loads a thumbnail.
  server.route('/vi/abc/0.jpg', ({ res }) => {
    res.writeHead(204);
    res.end();
  });
  server.page(
    '/after-reject.html',
    kitPage(`<script>
  window.consentkit = window.consentkit || [];
  consentkit.push(function (kit) {
    kit.onDecision(function () {
      document.cookie = 'YSC=late; Path=/';
      new Image().src = 'http://i.ytimg.com:${port}/vi/abc/0.jpg';
    });
  });
</script>`),
  );

  // An unmarked script from tracker.co.uk on a page of shop.co.uk.
  script('/pixel.js', '');
  server.page('/co-uk.html', kitPage(`<script src="http://tracker.co.uk:${port}/pixel.js"></script>`));

  const paths = ['/unmarked-tracker.html', '/cookie-before-consent.html', '/kept-after-withdrawal.html', '/after-reject.html'];
  run = await runCli([
    'scan',
    ...paths.map(page),
    coUkPage(),
    '--json',
    HOSTS,
    '--wait=500',
    `--markdown=${join(work, 'report.md')}`,
    `--config-draft=${join(work, 'draft.json')}`,
  ]);
  report = JSON.parse(run.stdout) as ScanReport;
});

after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** The violations on `path`, as `phase kind name → catalog` lines (sorted), for readable failures. */
const found = (path: string, phase?: Violation['phase']) =>
  report.violations
    .filter((v) => v.page == page(path) && (!phase || v.phase == phase))
    .map((v) => `${v.phase} ${v.kind} ${v.kind == 'request' ? new URL(v.name).pathname : v.name} → ${v.catalog ?? v.basis}`)
    .sort();

describe('consentkit scan on pages with violations', { timeout: 600_000 }, () => {
  it('exits 1, every page scanned', () => {
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(report.errors, []);
    assert.equal(report.pages.length, 5);
    assert.match(run.stderr, /5 pages, \d+ violations/);
  });

  it('names an unmarked tracker from a catalog host: its request and its cookie, before consent', () => {
    const before = found('/unmarked-tracker.html', 'before-consent');
    assert.deepEqual(before, ['before-consent cookie _ga → google-analytics', 'before-consent request /gtag/js → google-analytics']);
    const request = report.violations.find((v) => v.page == page('/unmarked-tracker.html') && v.kind == 'request');
    assert.ok(request);
    assert.equal(request.domain, 'www.googletagmanager.com');
    assert.equal(request.category, 'analytics');
    assert.equal(request.basis, 'catalog');
  });

  it('names a request from one site under co.uk to another before consent', () => {
    const coUk = report.violations.filter((v) => v.page == coUkPage() && v.phase == 'before-consent').map((v) => `${v.phase} ${v.kind} ${v.name} → ${v.basis}`);
    assert.deepEqual(coUk, [`before-consent request http://tracker.co.uk:${new URL(server.url).port}/pixel.js → unknown`]);
  });

  it('names a cookie set before consent', () => {
    assert.deepEqual(found('/cookie-before-consent.html', 'before-consent'), ['before-consent cookie YSC → youtube', 'before-consent cookie visitor_id → unknown']);
  });

  it('names a listed cookie still set after withdrawal, and nothing before consent on that page', () => {
    assert.deepEqual(found('/kept-after-withdrawal.html'), ['after-withdrawal cookie _ga → google-analytics']);
    const kept = report.violations.find((v) => v.page == page('/kept-after-withdrawal.html'));
    assert.ok(kept);
    assert.equal(kept.reason, 'still set after withdrawal');
    assert.equal(kept.category, 'analytics');
    assert.equal(kept.service, 'google-analytics');
  });

  it('names a cookie and a request after Reject all, and nothing before consent on that page', () => {
    assert.deepEqual(found('/after-reject.html', 'after-reject'), ['after-reject cookie YSC → youtube', 'after-reject request /vi/abc/0.jpg → youtube']);
    assert.deepEqual(found('/after-reject.html', 'before-consent'), []);
  });

  it('writes the same violations to the Markdown report, under each page', () => {
    const markdown = readFileSync(join(work, 'report.md'), 'utf8');
    for (const path of ['/unmarked-tracker.html', '/cookie-before-consent.html', '/kept-after-withdrawal.html', '/after-reject.html'])
      assert.match(markdown, new RegExp(`## ${page(path).replace(/[.]/g, '\\.')}\\n\\n\\| when \\|`));
    assert.match(markdown, /\| before consent \| request \| http:\/\/www\.googletagmanager\.com:\d+\/gtag\/js \| analytics \/ google-analytics \(catalog: google-analytics\) \| before any choice \|/);
    assert.match(markdown, /\| after withdrawal \| cookie \| _ga \| analytics \/ google-analytics \(catalog: google-analytics\) \| still set after withdrawal \|/);
  });

  it('drafts a config with the catalog services found, which the schema accepts', () => {
    const draft = JSON.parse(readFileSync(join(work, 'draft.json'), 'utf8')) as ConsentConfig;
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'consentkit-config.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    assert.ok(validate(draft), new Ajv2020().errorsText(validate.errors));
    const services = (id: string) => draft.categories?.find((c) => c.id == id)?.services?.map((s) => s.catalog ?? s.id);
    assert.deepEqual(services('analytics'), ['google-analytics']);
    assert.deepEqual(services('functional'), ['youtube']);
    const youtube = draft.categories?.find((c) => c.id == 'functional')?.services?.[0];
    assert.ok(youtube?.urls?.includes('i.ytimg.com/'));
    assert.ok(youtube?.cookies?.some((c) => c.name == 'YSC' && c.provider == 'youtube.com'));
    assert.doesNotMatch(JSON.stringify(draft), /visitor_id/);
  });

  it('lists what nothing names beside the draft, for the owner to place', () => {
    const { _unplaced: unplaced } = JSON.parse(readFileSync(join(work, 'draft.unplaced.json'), 'utf8')) as { _unplaced: UnplacedItem[] };
    assert.deepEqual(
      unplaced.map(({ kind, name, duration, pages }) => ({ kind, name, duration, pages })),
      [
        { kind: 'cookie', name: 'visitor_id', duration: '1 day', pages: [page('/cookie-before-consent.html')] },
        { kind: 'request', name: 'tracker.co.uk', duration: undefined, pages: [coUkPage()] },
      ],
    );
    assert.match(run.stderr, /2 item\(s\) nothing names are listed in .*draft\.unplaced\.json/);
  });
});

describe('consentkit scan --allow', { timeout: 600_000 }, () => {
  it('accepts the named exception: exit 0, the violation reported as allowed', async () => {
    const allowed = await runCli(['scan', page('/cookie-before-consent.html'), '--json', '--wait=500', '--allow', 'YSC', '--allow=visitor_*']);
    assert.equal(allowed.code, 0, allowed.stderr);
    const result = JSON.parse(allowed.stdout) as ScanReport;
    assert.deepEqual(result.violations, []);
    assert.ok(result.allowed.some((v) => v.name == 'YSC' && v.phase == 'before-consent' && v.catalog == 'youtube'));
  });
});
