// dist/custom-elements.json, written by `npm run build`: package.json points at it, it
// names both elements with the parts and custom properties README documents, and every
// part the real elements render in Chromium is listed in it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { ROOT, launchBrowser, startServer, type TestServer } from './helpers.js';

interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  members?: { name: string; kind: string; privacy?: string; description?: string }[];
  attributes?: { name: string }[];
  cssParts?: { name: string; description?: string }[];
  cssProperties?: { name: string; default?: string; description?: string }[];
}
interface Manifest {
  schemaVersion: string;
  modules: { path: string; declarations?: Declaration[]; exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[] }[];
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { customElements?: string; files: string[] };
const manifestPath = join(ROOT, pkg.customElements ?? '(package.json has no customElements)');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

const manifest = (): Manifest => JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
const element = (tag: string): Declaration => {
  const found = manifest().modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName == tag);
  assert.ok(found, `${tag} is not in the manifest`);
  return found;
};
/** The backticked names in the README table row that starts with `first`. */
const readmeRow = (first: string): string[] => {
  const row = readme.split('\n').find((l) => l.startsWith(`| \`${first}\` |`));
  assert.ok(row, `README has no table row for ${first}`);
  return [...row.split('|')[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
};
/** The custom properties README's Theming table documents. */
const readmeProperties = () => [...readme.matchAll(/^\| `(--consentkit-[a-z-]+)` \|/gm)].map((m) => m[1]);

test('package.json#customElements points at the generated manifest, shipped in the package', () => {
  // The analyzer writes this field itself, in this form.
  assert.equal(pkg.customElements, 'dist/custom-elements.json');
  assert.ok(pkg.files.includes('dist'));
  assert.ok(existsSync(manifestPath), 'run `npm run build` first');
  const m = manifest();
  assert.equal(m.schemaVersion, '1.0.0');
  // Module paths are the shipped files, not the TypeScript sources.
  for (const mod of m.modules) assert.ok(existsSync(join(ROOT, mod.path)), `${mod.path} does not exist`);
  const definitions = m.modules.flatMap((mod) => mod.exports ?? []).filter((e) => e.kind == 'custom-element-definition');
  assert.deepEqual(
    definitions.map((d) => [d.name, d.declaration.name]).sort(),
    [
      ['consentkit-banner', 'ConsentkitBanner'],
      ['consentkit-preferences', 'ConsentkitPreferences'],
    ],
  );
});

for (const tag of ['consentkit-banner', 'consentkit-preferences'])
  test(`${tag}: the parts and custom properties README documents, and its public API`, () => {
    const el = element(tag);
    assert.equal(el.customElement, true);
    assert.ok(el.summary, 'has a @summary');
    // The same set (order differs between the source's JSDoc and README's table).
    assert.deepEqual(el.cssParts?.map((p) => p.name).sort(), readmeRow(tag).sort());
    for (const part of el.cssParts ?? []) assert.ok(part.description, `part ${part.name} is described`);
    assert.deepEqual(el.cssProperties?.map((p) => p.name), readmeProperties());
    assert.equal(el.cssProperties.find((p) => p.name == '--consentkit-radius')?.default, '10px');
    // Only the public API: the kit, texts and options the UI entry sets, and show().
    assert.deepEqual(el.members?.map((m) => `${m.kind} ${m.name}`), ['field kit', 'field locale', 'field options', 'method show']);
    for (const m of el.members ?? []) assert.ok(m.description, `${m.name} is described`);
    // Lit state (`open`, `draft`, `saved`) is internal, not an attribute.
    assert.deepEqual(el.attributes ?? [], []);
  });

let browser: Browser;
let server: TestServer;
test.beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  server.page(
    '/parts.html',
    `<!doctype html><html lang="en"><head><title>parts</title>
<script type="application/json" id="consentkit-config">{ "ui": { "privacyPolicyUrl": "/privacy" },
  "categories": [{ "id": "necessary", "required": true, "cookies": [{ "name": "consentkit", "provider": "us", "purpose": "choice", "duration": "6 months" }] },
  { "id": "analytics", "services": [{ "id": "ga4" }] }, { "id": "advertising" }] }</script>
<script src="/dist/consentkit.js"></script></head><body><p>page</p></body></html>`,
  );
});
test.afterAll(async () => {
  await Promise.all([browser.close(), server.close()]);
});

test('every part the elements render in Chromium is in the manifest', async () => {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/parts.html`);
    const partsOf = (tag: string) =>
      page.evaluate((t) => {
        const root = document.querySelector(t)?.shadowRoot;
        return [...new Set(Array.from(root?.querySelectorAll('[part]') ?? []).flatMap((e) => e.getAttribute('part')?.split(/\s+/) ?? []))];
      }, tag);
    await page.locator('consentkit-banner').getByRole('button', { name: 'Accept all' }).waitFor();
    const banner = await partsOf('consentkit-banner');
    await page.evaluate(() => {
      (window as unknown as { consentkit: { showPreferences(): void } }).consentkit.showPreferences();
    });
    const save = page.locator('consentkit-preferences').getByRole('button', { name: 'Save choices' });
    await save.waitFor();
    const open = await partsOf('consentkit-preferences');
    await save.click();
    await page.locator('consentkit-preferences').getByRole('status').filter({ hasText: /./ }).waitFor();
    const prefs = [...new Set([...open, ...(await partsOf('consentkit-preferences'))])];
    for (const [tag, seen] of [
      ['consentkit-banner', banner],
      ['consentkit-preferences', prefs],
    ] as const) {
      const documented = element(tag).cssParts?.map((p) => p.name) ?? [];
      assert.ok(seen.length >= 5, `${tag} rendered parts: ${seen.join(' ')}`);
      for (const part of seen) assert.ok(documented.includes(part), `${tag} renders part "${part}", which the manifest does not list`);
    }
  } finally {
    await ctx.close();
  }
});
