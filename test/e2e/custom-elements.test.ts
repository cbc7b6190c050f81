// dist/custom-elements.json, written by `npm run build`: package.json points at it, it
// names the elements with the parts and custom properties the generated reference
// (docs/reference/elements.md, `npm run docs`) documents, and in Chromium every part the real
// elements render is documented there and every documented custom property is one they use.
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
const reference = readFileSync(join(ROOT, 'docs/reference/elements.md'), 'utf8');

const manifest = (): Manifest => JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
const element = (tag: string): Declaration => {
  const found = manifest().modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName == tag);
  assert.ok(found, `${tag} is not in the manifest`);
  return found;
};
/** The first column of the table under `### heading` in the reference's section on `tag`. */
const documented = (tag: string, heading: 'CSS parts' | 'CSS custom properties'): string[] => {
  const section = reference.split(/^## /m).find((s) => s.startsWith(`\`<${tag}>\``));
  assert.ok(section, `docs/reference/elements.md has no section on <${tag}>`);
  const table = section.split(/^### /m).find((s) => s.startsWith(`${heading}\n`)) ?? '';
  return [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
};

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
  test(`${tag}: the parts and custom properties the reference documents, and its public API`, () => {
    const el = element(tag);
    assert.equal(el.customElement, true);
    assert.ok(el.summary, 'has a @summary');
    assert.deepEqual(el.cssParts?.map((p) => p.name), documented(tag, 'CSS parts'));
    for (const part of el.cssParts ?? []) assert.ok(part.description, `part ${part.name} is described`);
    assert.deepEqual(el.cssProperties?.map((p) => p.name), documented(tag, 'CSS custom properties'));
    assert.equal(el.cssProperties.find((p) => p.name == '--consentkit-radius')?.default, '10px');
    // Only the public API: the kit, texts and options the UI entry sets, and show().
    assert.deepEqual(el.members?.map((m) => `${m.kind} ${m.name}`), ['field kit', 'field locale', 'field options', 'method show']);
    for (const m of el.members ?? []) assert.ok(m.description, `${m.name} is described`);
    // The one attribute is `theme`, which the UI sets; Lit state (`open`, `draft`, `saved`) is internal, not an attribute.
    assert.deepEqual(el.attributes?.map((a) => a.name), ['theme']);
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

test('every part the elements render in Chromium is documented, every documented custom property is used', async () => {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/parts.html`);
    const partsOf = (tag: string) =>
      page.evaluate((t) => {
        const root = document.querySelector(t)?.shadowRoot;
        return [...new Set(Array.from(root?.querySelectorAll('[part]') ?? []).flatMap((e) => e.getAttribute('part')?.split(/\s+/) ?? []))];
      }, tag);
    /** The text of the styles in `tag`'s shadow root. */
    const stylesOf = (tag: string) =>
      page.evaluate((t) => {
        const root = document.querySelector(t)?.shadowRoot;
        const sheets = [...(root?.adoptedStyleSheets ?? []), ...Array.from(root?.styleSheets ?? [])];
        return sheets.flatMap((sheet) => Array.from(sheet.cssRules, (rule) => rule.cssText)).join('\n');
      }, tag);
    await page.locator('consentkit-banner').getByRole('button', { name: 'Accept all' }).waitFor();
    const banner = await partsOf('consentkit-banner');
    // The documented `theme` attribute: the config's `ui.theme`, here the default.
    assert.equal(await page.locator('consentkit-banner').getAttribute('theme'), 'auto');
    await page.evaluate(() => {
      (window as unknown as { consentkit: { showPreferences(): void } }).consentkit.showPreferences();
    });
    const save = page.locator('consentkit-preferences').getByRole('button', { name: 'Save choices' });
    await save.waitFor();
    const open = await partsOf('consentkit-preferences');
    await save.click();
    await page.locator('consentkit-preferences').getByRole('status').filter({ hasText: /./ }).waitFor();
    const prefs = [...new Set([...open, ...(await partsOf('consentkit-preferences'))])];
    // Decided: the corner shows the way back; with an optional category granted, withdrawal too.
    await page.locator('consentkit-floating').getByRole('button', { name: 'Privacy settings' }).waitFor();
    await page.evaluate(() => {
      (window as unknown as { consentkit: { acceptAll(): void } }).consentkit.acceptAll();
    });
    await page.locator('consentkit-withdraw').getByRole('button', { name: 'Withdraw consent' }).waitFor();
    for (const [tag, seen, least] of [
      ['consentkit-banner', banner, 5],
      ['consentkit-preferences', prefs, 5],
      ['consentkit-floating', await partsOf('consentkit-floating'), 1],
      ['consentkit-withdraw', await partsOf('consentkit-withdraw'), 1],
    ] as const) {
      const parts = documented(tag, 'CSS parts');
      assert.ok(seen.length >= least, `${tag} rendered parts: ${seen.join(' ')}`);
      for (const part of seen) assert.ok(parts.includes(part), `${tag} renders part "${part}", which docs/reference/elements.md does not list`);
      const styles = await stylesOf(tag);
      for (const property of documented(tag, 'CSS custom properties'))
        assert.ok(styles.includes(`var(${property}`), `${tag}: docs/reference/elements.md lists ${property}, which its styles never read`);
    }
  } finally {
    await ctx.close();
  }
});
