// `consentkit scan` on the demo site as `npm start` serves it (scripts/demo-server.mjs): the shop
// marks everything, so the scan is clean (exit 0), Accept all shows each stand-in's cookies, and
// the config it drafts passes the config schema.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startDemo, type Demo } from '../../scripts/demo-server.mjs';
import type { ConsentConfig } from '../../src/gate/core/config.js';
import type { ScanReport } from '../../src/scan/scan.js';
import { ROOT } from '../e2e/helpers.js';
import { runCli, type CliResult } from './run-cli.js';

let demo: Demo;
let work: string;
let run: CliResult;
let report: ScanReport;

before(async () => {
  demo = await startDemo({ port: 0, dataDir: 'memory://', token: 'scan-test-token' });
  work = mkdtempSync(join(tmpdir(), 'consentkit-scan-demo-'));
  run = await runCli(['scan', `${demo.url}/`, '--json', '--wait=500', `--config-draft=${join(work, 'draft.json')}`]);
  report = JSON.parse(run.stdout) as ScanReport;
});
after(async () => {
  await demo.close();
  rmSync(work, { recursive: true, force: true });
});

it('the demo shop is clean: exit 0, no violation, no error', { timeout: 600_000 }, () => {
  assert.equal(run.code, 0, run.stderr);
  assert.equal(report.ok, true);
  assert.deepEqual(report.violations, []);
  assert.deepEqual(report.errors, []);
  assert.match(run.stderr, /1 page, 0 violations: clean/);
});

it('before consent only the kit is there; after Reject all only its cookie', () => {
  const [page] = report.pages;
  const seen = (phase: string) => page.sightings.filter((s) => s.phase == phase).map((s) => `${s.kind} ${s.name} ${s.status}`);
  assert.deepEqual(seen('before-consent'), []);
  assert.deepEqual(seen('after-reject'), ['cookie consentkit fine']);
});

it('after Accept all it finds what each stand-in sets, placed in its service', () => {
  const accepted = report.pages[0].sightings
    .filter((s) => s.phase == 'after-accept' && s.kind == 'cookie')
    .map((s) => `${s.name} ${s.category ?? '?'}/${s.service ?? '-'}`)
    .sort();
  assert.deepEqual(accepted, ['VISITOR_INFO1_LIVE functional/youtube', '_fbp advertising/metapixel', '_ga analytics/ga4', '_ga_NORTHWIND analytics/ga4', 'consentkit necessary/-']);
});

it('after withdrawal only the consent cookie is left', () => {
  const left = report.pages[0].sightings.filter((s) => s.phase == 'after-withdrawal').map((s) => `${s.name} ${s.status}`);
  assert.deepEqual(left, ['consentkit fine']);
});

it('drafts a config the schema accepts, with the categories, services and cookie tables of the site', () => {
  const draft = JSON.parse(readFileSync(join(work, 'draft.json'), 'utf8')) as ConsentConfig;
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'consentkit-config.schema.json'), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  assert.ok(validate(draft), new Ajv2020().errorsText(validate.errors));
  assert.deepEqual(
    draft.categories?.map((c) => c.id),
    ['necessary', 'functional', 'analytics', 'advertising'],
  );
  const ga4 = draft.categories.find((c) => c.id == 'analytics')?.services?.find((s) => s.id == 'ga4');
  assert.deepEqual(ga4?.cookies?.map((c) => c.name), ['_ga*']);
  assert.equal(draft.revision, 1);
});
