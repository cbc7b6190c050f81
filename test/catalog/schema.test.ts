// catalog/services.json against its schema, and the rules a schema cannot express:
// unique ids, patterns that parse, one entry per pattern, entries that expand into
// config services the config schema accepts.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expandService, URL_KINDS, urlPatternsOf, type Catalog, type CatalogService } from '../../src/catalog/catalog.js';
import { matchesUrlPattern } from '../../src/gate/blocker/url-pattern.js';
import { ROOT } from '../e2e/helpers.js';

const readJson = (...path: string[]): unknown => JSON.parse(readFileSync(join(ROOT, ...path), 'utf8'));
const catalog = readJson('catalog', 'services.json') as Catalog;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const catalogSchemaAccepts = ajv.compile(readJson('schema', 'service-catalog.schema.json') as object);
const configSchemaAccepts = ajv.compile(readJson('schema', 'consentkit-config.schema.json') as object);

/** A URL the pattern names: its `*`s filled in, on https. */
const exampleUrl = (pattern: string) => new URL(`https://${pattern.replace(/^\*\./, '').replace(/\*/g, 'x')}`);

/** A valid entry to vary in the schema's own tests. */
const entry = (changes: Partial<CatalogService> = {}): CatalogService => ({
  id: 'example-analytics',
  name: 'Example Analytics',
  provider: 'Example Ltd',
  category: 'analytics',
  description: 'Counts visits.',
  privacyPolicy: 'https://example.com/privacy',
  sources: ['https://example.com/docs/cookies'],
  checked: '2026-11-30',
  urls: { scripts: ['cdn.example.com/tag.js'] },
  cookies: [{ name: '_ex_*', purpose: 'Tells visitors apart.', duration: '1 year' }],
  storage: [],
  ...changes,
});
const accepts = (service: CatalogService) => catalogSchemaAccepts({ version: 1, services: [service] });

describe('service catalog schema', () => {
  it('accepts a complete entry', () => {
    assert.ok(accepts(entry()), ajv.errorsText(catalogSchemaAccepts.errors));
  });
  const rejected: [what: string, changes: Partial<CatalogService>][] = [
    ['a pattern with a scheme', { urls: { scripts: ['https://cdn.example.com/tag.js'] } }],
    ['a pattern without a host', { urls: { scripts: ['/tag.js'] } }],
    ['a pattern with a bare word for a host', { urls: { scripts: ['localhost/tag.js'] } }],
    ['a pattern with a port', { urls: { scripts: ['cdn.example.com:8080/tag.js'] } }],
    ['a pattern with upper-case host', { urls: { scripts: ['CDN.example.com/tag.js'] } }],
    ['a pattern with a space', { urls: { scripts: ['cdn.example.com/a b'] } }],
    ['no patterns at all', { urls: {} }],
    ['an unknown kind of URL', { urls: { fonts: ['fonts.example.com/'] } as CatalogService['urls'] }],
    ['an id that is not kebab-case', { id: 'Example_Analytics' }],
    ['a date that is not a date', { checked: '30.11.2026' }],
    ['an http source', { sources: ['http://example.com/docs'] }],
    ['no sources with every fact confirmed', { sources: [] }],
    ['an empty list of unconfirmed facts', { unconfirmed: [] }],
    ['a privacy policy that is not a URL', { privacyPolicy: 'see our website' }],
    ['an unknown category', { category: 'marketing' as CatalogService['category'] }],
    ['a cookie without a purpose', { cookies: [{ name: '_ex' }] }],
    ['a cookie name with a space', { cookies: [{ name: 'ex id', purpose: 'x' }] }],
    ['an unknown storage type', { storage: [{ key: 'ex', type: 'cookieStore' as 'localStorage', purpose: 'x' }] }],
  ];
  for (const [what, changes] of rejected)
    it(`rejects ${what}`, () => {
      assert.equal(accepts(entry(changes)), false);
    });
  it('accepts no sources when facts are unconfirmed', () => {
    assert.ok(accepts(entry({ sources: [], unconfirmed: ['privacyPolicy', 'urls.scripts', 'cookies._ex_*'] })), ajv.errorsText(catalogSchemaAccepts.errors));
  });
  it('rejects an entry with an unknown field', () => {
    assert.equal(accepts({ ...entry(), website: 'https://example.com' } as CatalogService), false);
  });
});

describe('catalog/services.json', () => {
  it('passes the service catalog schema', () => {
    assert.ok(catalogSchemaAccepts(catalog), ajv.errorsText(catalogSchemaAccepts.errors, { separator: '\n' }));
  });

  it('has unique ids', () => {
    const ids = catalog.services.map((s) => s.id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) != i),
      [],
    );
  });

  it('gives every entry at least one pattern, each of which names the URL it spells', () => {
    for (const service of catalog.services) {
      const patterns = urlPatternsOf(service);
      assert.ok(patterns.length > 0, `${service.id} has no URL pattern`);
      for (const pattern of patterns) {
        let url: URL;
        try {
          url = exampleUrl(pattern);
        } catch {
          assert.fail(`${service.id}: ${pattern} does not parse as a host and path`);
        }
        assert.ok(matchesUrlPattern(pattern, url), `${service.id}: ${pattern} does not match ${url.href}`);
      }
    }
  });

  it('lets no two entries claim the same pattern, or a pattern that names the other’s', () => {
    const claims: string[] = [];
    for (const [i, a] of catalog.services.entries())
      for (const b of catalog.services.slice(i + 1))
        for (const pattern of urlPatternsOf(a))
          for (const other of urlPatternsOf(b))
            if (pattern == other || matchesUrlPattern(pattern, exampleUrl(other)) || matchesUrlPattern(other, exampleUrl(pattern)))
              claims.push(`${a.id} ${pattern} / ${b.id} ${other}`);
    assert.deepEqual(claims, []);
  });

  it('expands every entry into a config service that the config schema accepts', () => {
    for (const service of catalog.services) {
      const config = { categories: [{ id: 'necessary', required: true }, { id: service.category, services: [expandService(service)] }] };
      if (service.category == 'necessary') config.categories.shift();
      assert.ok(configSchemaAccepts(config), `${service.id}: ${ajv.errorsText(configSchemaAccepts.errors)}`);
    }
  });

  it('lists each cookie name and storage key once per entry', () => {
    for (const service of catalog.services) {
      const names = [...service.cookies.map((c) => `cookie ${c.name}`), ...service.storage.map((k) => `${k.type} ${k.key}`)];
      assert.deepEqual(
        names.filter((name, i) => names.indexOf(name) != i),
        [],
        service.id,
      );
    }
  });

  it('names in `unconfirmed` only facts the entry has', () => {
    const unknown: string[] = [];
    for (const service of catalog.services) {
      const paths = new Set(['privacyPolicy']);
      for (const kind of URL_KINDS) {
        if (!service.urls[kind]) continue;
        paths.add(`urls.${kind}`);
        for (const pattern of service.urls[kind]) paths.add(`urls.${kind}.${pattern}`);
      }
      for (const { name, duration } of service.cookies) {
        paths.add(`cookies.${name}`);
        if (duration) paths.add(`cookies.${name}.duration`);
      }
      for (const { key, duration } of service.storage) {
        paths.add(`storage.${key}`);
        if (duration) paths.add(`storage.${key}.duration`);
      }
      for (const path of service.unconfirmed ?? []) if (!paths.has(path)) unknown.push(`${service.id}: ${path}`);
    }
    assert.deepEqual(unknown, []);
  });
});
