// The hand-written validator and the published JSON Schema must agree on every case.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { validateRecord } from '../../src/server/validate.js';
import { ROOT } from '../e2e/helpers.js';
import { makeRecord } from './fixtures.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'consent-record.v1.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const schemaAccepts = ajv.compile(schema);

const base = makeRecord();
const without = (field: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k != field));
const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`c${i}`, true]));

/** [name, value, valid, field named in the error] */
const CASES: [string, unknown, boolean, string?][] = [
  ['a full record', base, true],
  ['with a region', { ...base, region: 'US-CA' }, true],
  ['language und', { ...base, language: 'und' }, true],
  ['language with script and region', { ...base, language: 'zh-Hant-TW' }, true],
  ['time with milliseconds', { ...base, updatedAt: '2026-01-02T03:04:05.678Z' }, true],
  ['time without milliseconds', { ...base, updatedAt: '2026-01-02T03:04:05Z' }, true],
  ['no services', { ...base, services: {} }, true],
  ['every action', { ...base, action: 'gpc_optout' }, true],
  ['url with path', { ...base, url: 'http://127.0.0.1:8080/a/b.html' }, true],
  ['source page (one-click withdrawal)', { ...base, source: 'page' }, true],
  ['gpcConfirmed true', { ...base, gpc: true, gpcConfirmed: true }, true],
  ['gpcConfirmed false', { ...base, gpcConfirmed: false }, false, 'gpcConfirmed'],
  ['not an object', [base], false, 'record'],
  ['null', null, false, 'record'],
  ['unknown field', { ...base, ip: '1.2.3.4' }, false, 'ip'],
  ['userAgent is refused', { ...base, userAgent: 'x' }, false, 'userAgent'],
  ['__proto__ key', JSON.parse(`{"__proto__": 1, ${JSON.stringify(base).slice(1)}`), false, '__proto__'],
  ['schemaVersion 2', { ...base, schemaVersion: 2 }, false, 'schemaVersion'],
  ['schemaVersion string', { ...base, schemaVersion: '1' }, false, 'schemaVersion'],
  ['consentId missing', without('consentId'), false, 'consentId'],
  ['consentId uppercase', { ...base, consentId: base.consentId.toUpperCase() }, false, 'consentId'],
  ['recordId not a uuid', { ...base, recordId: 'abc' }, false, 'recordId'],
  ['createdAt local time', { ...base, createdAt: '2026-01-02T03:04:05+01:00' }, false, 'createdAt'],
  ['updatedAt month 13', { ...base, updatedAt: '2026-13-02T03:04:05Z' }, false, 'updatedAt'],
  ['updatedAt number', { ...base, updatedAt: 1700000000000 }, false, 'updatedAt'],
  ['createdAt 29 February of a leap year', { ...base, createdAt: '2024-02-29T10:00:00Z' }, true],
  ['createdAt 30 February', { ...base, createdAt: '2026-02-30T10:00:00Z' }, false, 'createdAt'],
  ['updatedAt 29 February of a common year', { ...base, updatedAt: '2025-02-29T10:00:00Z' }, false, 'updatedAt'],
  ['updatedAt 31 April', { ...base, updatedAt: '2026-04-31T10:00:00Z' }, false, 'updatedAt'],
  ['createdAt year 0000', { ...base, createdAt: '0000-01-01T00:00:00Z' }, false, 'createdAt'],
  ['url with a NUL character', { ...base, url: 'https://a.example/a\u0000b' }, false, 'url'],
  ['url with a control character', { ...base, url: 'https://a.example/a\u007fb' }, false, 'url'],
  ['url with an unpaired surrogate', { ...base, url: 'https://a.example/\ud800' }, false, 'url'],
  ['url with a paired surrogate (an emoji path)', { ...base, url: 'https://a.example/\ud83c\udf6a' }, true],
  ['revision with space', { ...base, revision: 'a b' }, false, 'revision'],
  ['revision too long', { ...base, revision: 'r'.repeat(41) }, false, 'revision'],
  ['action unknown', { ...base, action: 'accept' }, false, 'action'],
  ['source unknown', { ...base, source: 'footer' }, false, 'source'],
  ['categories empty', { ...base, categories: {} }, false, 'categories'],
  ['categories array', { ...base, categories: [true] }, false, 'categories'],
  ['category value string', { ...base, categories: { analytics: 'yes' } }, false, 'categories'],
  ['category id with space', { ...base, categories: { 'a b': true } }, false, 'categories'],
  ['too many services', { ...base, services: many }, false, 'services'],
  ['language missing', without('language'), false, 'language'],
  ['language empty', { ...base, language: '' }, false, 'language'],
  ['language with underscore', { ...base, language: 'en_US' }, false, 'language'],
  ['region with space', { ...base, region: 'U S' }, false, 'region'],
  ['url with query', { ...base, url: 'https://a.example/p?q=1' }, false, 'url'],
  ['url with fragment', { ...base, url: 'https://a.example/p#x' }, false, 'url'],
  ['url not http', { ...base, url: 'javascript:alert(1)' }, false, 'url'],
  ['url too long', { ...base, url: `https://a.example/${'p'.repeat(2040)}` }, false, 'url'],
  ['gpc string', { ...base, gpc: 'false' }, false, 'gpc'],
  ['sdkVersion missing', without('sdkVersion'), false, 'sdkVersion'],
  ['configHash uppercase', { ...base, configHash: 'A'.repeat(64) }, false, 'configHash'],
  ['configHash short', { ...base, configHash: 'a'.repeat(63) }, false, 'configHash'],
];

describe('validateRecord', () => {
  for (const [name, value, valid, field] of CASES)
    test(`${name}: ${valid ? 'valid' : `invalid (${field})`} for both the schema and the validator`, () => {
      assert.equal(schemaAccepts(value), valid, `JSON Schema: ${ajv.errorsText(schemaAccepts.errors)}`);
      const problem = validateRecord(value);
      assert.equal(problem === null, valid, `validator said: ${problem}`);
      if (field) assert.ok(problem?.startsWith(field), `"${problem}" names ${field}`);
    });
});
