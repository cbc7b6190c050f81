/**
 * A tiny JSON Schema (2020-12) checker for the keywords the config schema
 * uses, so the test needs no validator dependency. An unsupported keyword is
 * an error, so the schema cannot quietly outgrow what this checks.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', '$defs']);
const KEYWORDS = new Set([
  'type',
  'const',
  'enum',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  'minItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'anyOf',
  '$ref',
]);

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v == 'number' && Number.isInteger(v) ? 'integer' : typeof v;
const isObject = (v: unknown): v is Schema => typeOf(v) == 'object';

/** Error messages (`path: problem`) for `value` against `schema`; empty when valid. */
export function check(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const walk = (schema: unknown, v: unknown, path: string): void => {
    if (schema === true || schema === undefined) return;
    if (!isObject(schema)) throw new Error(`unsupported schema at ${path}`);
    for (const k of Object.keys(schema))
      if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) throw new Error(`unsupported keyword ${k} at ${path}`);
    const fail = (msg: string) => errors.push(`${path}: ${msg}`);
    if (typeof schema.$ref == 'string') {
      const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
      const defs = root.$defs as Schema | undefined;
      if (!name || !defs?.[name]) throw new Error(`unresolved $ref ${schema.$ref}`);
      walk(defs[name], v, path);
    }
    const t = typeOf(v);
    if (typeof schema.type == 'string' && schema.type != t && !(schema.type == 'number' && t == 'integer'))
      return void fail(`must be ${schema.type}`);
    if ('const' in schema && schema.const !== v) fail(`must be ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(v)) fail('must be one of the listed values');
    if (typeof v == 'string') {
      if (typeof schema.pattern == 'string' && !new RegExp(schema.pattern, 'u').test(v)) fail(`must match ${schema.pattern}`);
      // JSON Schema counts code points, not UTF-16 units.
      if (typeof schema.minLength == 'number' && Array.from(v).length < schema.minLength) fail('is too short');
    }
    if (typeof v == 'number') {
      if (typeof schema.minimum == 'number' && v < schema.minimum) fail('is too small');
      if (typeof schema.maximum == 'number' && v > schema.maximum) fail('is too large');
    }
    if (Array.isArray(v)) {
      if (typeof schema.minItems == 'number' && v.length < schema.minItems) fail('has too few items');
      v.forEach((item, i) => {
        walk(schema.items, item, `${path}[${i}]`);
      });
    }
    if (isObject(v)) {
      const props = (schema.properties ?? {}) as Schema;
      for (const r of (schema.required ?? []) as string[]) if (!(r in v)) fail(`needs ${r}`);
      for (const [k, item] of Object.entries(v)) {
        if (k in props) walk(props[k], item, `${path}.${k}`);
        else if (schema.additionalProperties === false) fail(`${k} is not allowed`);
        else walk(schema.additionalProperties, item, `${path}.${k}`);
      }
    }
    if (Array.isArray(schema.anyOf)) {
      const before = errors.length;
      const ok = schema.anyOf.some((s) => {
        const n = errors.length;
        walk(s, v, path);
        const passed = errors.length == n;
        errors.length = n;
        return passed;
      });
      errors.length = before;
      if (!ok) fail('matches none of the allowed forms');
    }
  };
  walk(root, value, 'config');
  return errors;
}
