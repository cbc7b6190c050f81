// The shape table the gate checks a config with (config-shape.ts) and the JSON
// Schema editors use (schema/consentkit-config.schema.json) must say the same,
// except in the places listed here with why.
import { expect } from '@open-wc/testing';
import { CONFIG_SHAPE, readShape, type Path, type Shape } from '../../../src/gate/core/config-shape.js';

type Node = Record<string, unknown>;
const schema = (await (await fetch('/schema/consentkit-config.schema.json')).json()) as Node;

/** Places (`properties` keys and `anyOf` indexes, dotted) where the table says more than the schema. */
const SDK_ONLY: Record<string, string> = {
  $schema: 'editors read it; the SDK ignores it, whatever it is',
  'revision.0': 'a number must also read as a revision: 1e21 reads "1e+21"',
  ui: 'the schema leaves the options to the SDK, which names a bad one and keeps its default',
  'googleConsentMode.1': 'the schema leaves the options to the SDK, which names a bad one and keeps every signal denied',
  dataLayer: 'a JavaScript identifier',
  region: 'a region code in any case',
  regions: 'region codes in any case, or "default", each "opt-in" or "opt-out"',
  trustedScriptUrls: 'absolute http(s) URLs or root-relative paths',
};

/**
 * The schema node with `$ref`s resolved and its words (`description`) and `default`s left out
 * (test/docs/reference.test.ts holds the defaults to what the SDK fills in); `const` as a
 * one-value `enum`.
 */
function schemaNode(node: Node): Node {
  const ref = typeof node.$ref == 'string' ? ((schema.$defs as Node)[node.$ref.replace('#/$defs/', '')] as Node) : {};
  const out: Node = {};
  for (const [k, v] of Object.entries({ ...ref, ...node }))
    if (k == 'const') out.enum = [v];
    // As the table's RegExp would write it (`/` as `\/`).
    else if (k == 'pattern') out.pattern = new RegExp(v as string).source;
    else if (!['$ref', 'description', 'default', 'title', '$id', '$schema', '$defs'].includes(k)) out[k] = v;
  return out;
}
/** The table's shape as JSON Schema: patterns as their source, nothing undefined. */
const tableNode = (shape: Shape): Node =>
  JSON.parse(JSON.stringify(shape, (_, v: unknown) => (v instanceof RegExp ? v.source : v))) as Node;

/** Differences between the schema and the table, each as `path: what`. */
function differences(given: Node, shape: Shape, path: string, out: string[]): string[] {
  const s = schemaNode(given);
  const t = tableNode(shape);
  if (path in SDK_ONLY) {
    // Stricter, never of another type.
    if (s.type !== undefined && t.type !== undefined && s.type !== t.type) out.push(`${path}: type ${JSON.stringify(t.type)}, schema ${JSON.stringify(s.type)}`);
    return out;
  }
  const nested = ['properties', 'items', 'additionalProperties', 'anyOf'];
  for (const k of new Set([...Object.keys(s), ...Object.keys(t)]))
    if (!nested.includes(k) && JSON.stringify(s[k]) !== JSON.stringify(t[k])) out.push(`${path}: ${k} ${JSON.stringify(t[k])}, schema ${JSON.stringify(s[k])}`);
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  const sp = (s.properties ?? {}) as Node;
  const tp = shape.properties ?? {};
  for (const k of new Set([...Object.keys(sp), ...Object.keys(tp)]))
    if (!(k in sp) || !(k in tp)) out.push(`${at(k)}: only in the ${k in sp ? 'schema' : 'table'}`);
    else differences(sp[k] as Node, tp[k], at(k), out);
  if (s.items || shape.items) differences((s.items ?? {}) as Node, shape.items ?? {}, at('items'), out);
  const sa = s.additionalProperties;
  const ta = shape.additionalProperties;
  if (typeof sa == 'object' || typeof ta == 'object') differences((sa ?? {}) as Node, typeof ta == 'object' ? ta : {}, at('additionalProperties'), out);
  else if (sa !== ta) out.push(`${path}: additionalProperties ${JSON.stringify(ta)}, schema ${JSON.stringify(sa)}`);
  const sAny = (s.anyOf ?? []) as Node[];
  const tAny = shape.anyOf ?? [];
  if (sAny.length != tAny.length) out.push(`${path}: ${tAny.length} forms, schema ${sAny.length}`);
  else sAny.forEach((form, i) => differences(form, tAny[i], at(i), out));
  return out;
}

describe('CONFIG_SHAPE', () => {
  it('says what the JSON Schema says, except where listed', () => {
    expect(differences(schema, CONFIG_SHAPE, '', [])).to.deep.equal([]);
  });

  it('lists no place that is not in the table', () => {
    for (const place of Object.keys(SDK_ONLY)) {
      const shape = place.split('.').reduce<Shape | undefined>((s, k) => (/^\d+$/.test(k) ? s?.anyOf?.[Number(k)] : s?.properties?.[k]), CONFIG_SHAPE);
      expect(shape, place).to.not.equal(undefined);
    }
  });
});

describe('readShape', () => {
  const problems = (shape: Shape, value: unknown) => {
    const found: [Path, unknown][] = [];
    const read = readShape(shape, value, [], (path, _, v) => found.push([path, v]));
    return { read, found };
  };

  it('keeps what fits and leaves out a bad property, naming it', () => {
    const shape: Shape = { type: 'object', properties: { a: { type: 'boolean' }, b: { type: 'string', minLength: 1 } } };
    expect(problems(shape, { a: true, b: '', c: 1 })).to.deep.equal({ read: { a: true }, found: [[['b'], '']] });
  });

  it('rejects a whole array for one bad item, naming each', () => {
    const shape: Shape = { type: 'array', items: { type: 'integer', minimum: 1, maximum: 3 } };
    expect(problems(shape, [1, 4, 2, 0.5])).to.deep.equal({ read: undefined, found: [[[1], 4], [[3], 0.5]] });
  });

  it('rejects an object without a required property', () => {
    const shape: Shape = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: /^\w+$/ } } };
    expect(problems(shape, { id: 'a b' })).to.deep.equal({ read: undefined, found: [[['id'], 'a b']] });
    expect(problems(shape, {}).found).to.deep.equal([[['id'], undefined]]);
  });

  it('picks the form of anyOf by type, and names an unknown property where none is allowed', () => {
    const shape: Shape = { anyOf: [{ enum: [false] }, { type: 'object', additionalProperties: false, properties: {} }] };
    expect(problems(shape, false)).to.deep.equal({ read: false, found: [] });
    expect(problems(shape, true).found).to.deep.equal([[[], true]]);
    expect(problems(shape, { x: 1 })).to.deep.equal({ read: {}, found: [[['x'], 1]] });
  });

  it('copies a __proto__ key as a property, not as the prototype', () => {
    const read = readShape({ type: 'object', additionalProperties: { type: 'string' } }, JSON.parse('{"__proto__": "x"}'), [], () => undefined) as object;
    expect(Object.getPrototypeOf(read)).to.equal(Object.prototype);
    expect(Object.keys(read)).to.deep.equal(['__proto__']);
  });
});
