/**
 * The full config validator: one message per problem, each naming the
 * offending path. The problems are the ones the gate's own check finds
 * (`resolveConfig` walking the shape table of `config-shape.ts`); this file
 * only puts them into words, so the two cannot disagree. The one-tag gate
 * never loads it: the diagnostics part, which runs it, loads only when that
 * check finds a problem.
 */
import {
  ID,
  IDENT,
  REVISION,
  URL_PATTERN,
  problemCost,
  resolveConfig,
  type Path,
  type ResolvedConfig,
  type Rule,
  type Shape,
} from '../../gate/core/config.js';

export interface ValidationResult {
  /** The resolved config (`resolveConfig`), every default filled in. */
  config: ResolvedConfig;
  /** One message per problem that makes the config unusable (the fields the core reads), each naming the offending path. Empty when valid. */
  errors: string[];
  /** Fields the SDK does not know (likely typos); the config stays usable. */
  warnings: string[];
}

/** A problem of a config, in words. */
export interface ConfigProblem {
  /** `<path> <what is wrong>`. */
  text: string;
  /** What it costs (see `problemCost`): nothing when the field falls back on its own. */
  cost?: 'usable' | 'consentModeUsable';
  /** An unknown top-level field: a likely typo, not an error. */
  warning: boolean;
}

/** Patterns whose message says more than the pattern. */
const PATTERN_MESSAGES = new Map<RegExp, string>([
  [ID, 'must use only letters, digits, "_" or "-" (at most 40)'],
  [REVISION, 'must be a number or a string of letters, digits, ".", "_" or "-"'],
  [URL_PATTERN, 'must be a URL pattern: a host, then optionally a path (www.googletagmanager.com/gtag/js), no scheme'],
  [IDENT, 'must be a JavaScript identifier'],
]);
/** What each whole number counts. */
const UNITS: Record<string, string> = {
  'cookie.expiryDays': 'days',
  'report.timeout': 'milliseconds',
  'googleConsentMode.waitForUpdate': 'milliseconds',
};
/** The fields that take one of several forms. */
const FORMS: Record<string, string> = {
  revision: PATTERN_MESSAGES.get(REVISION) ?? '',
  report: 'must be a URL string, an object or false',
  googleConsentMode: 'must be true, false or an object',
};

/** `"a", "b" or "c"`. */
const either = (values: readonly unknown[]) =>
  values
    .map((v) => JSON.stringify(v))
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');

/** What is wrong with a value at `path` that does not fit `shape`. */
function shapeMessage(path: string, shape: Shape): string {
  if (shape.anyOf) return FORMS[path];
  if (shape.enum) return `must be ${either(shape.enum)}`;
  if (shape.pattern) return PATTERN_MESSAGES.get(shape.pattern) ?? `must match ${shape.pattern}`;
  if (shape.format) return 'must be an http(s) or relative URL';
  const { minimum = 0, maximum } = shape;
  switch (shape.type) {
    case 'integer':
      return `must be a whole number of ${UNITS[path]} ${maximum === undefined ? `above ${minimum - 1}` : `from ${minimum} to ${maximum}`}`;
    case 'boolean':
      return 'must be true or false';
    case 'object':
      return 'must be an object';
    case 'array':
      return shape.minItems ? 'must be a non-empty array' : 'must be an array';
    default:
      return shape.minLength ? 'must be a non-empty string' : 'must be a string';
  }
}

/** What is wrong with a required property that is missing: an id or a name reads as one left empty. */
const missingMessage = (shape: Shape): string => (shape.type == 'string' ? 'must be a non-empty string' : 'is required');

/** What is wrong with `value` at `path`, which breaks `rule`. */
function ruleMessage(path: Path, rule: Rule, value: unknown): string {
  switch (rule) {
    case 'unknown field':
      return 'is not a known option';
    case 'used twice':
      return `"${String(value)}" is used twice`;
    case 'also a category id':
      return `"${String(value)}" is also a category id`;
    case 'unknown id':
      return `must be the id of a ${path[1] == 'mapping' ? 'category' : 'service'} of this config`;
    case 'region code':
      return path.length == 1 ? 'must be an ISO 3166 code ("DE", "US-CA")' : 'must be keyed by ISO 3166 codes ("DE", "US-CA") or "default"';
  }
}

/** `['categories', 0, 'id']` → `categories[0].id`. */
const pathText = (path: Path): string => path.map((key, i) => (typeof key == 'number' ? `[${key}]` : i ? `.${key}` : key)).join('');

/**
 * Every problem of `input` in words, in the order the check meets them, with
 * the resolved config. Never throws.
 */
export function describeConfig(input: unknown): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config = resolveConfig(input, (path, broken, value) => {
    const at = pathText(path);
    // One bad entry blocks every marked script, so the list is named as a whole.
    const text =
      path[0] == 'trustedScriptUrls'
        ? 'trustedScriptUrls must be an array of http(s) URLs or /paths (an invalid list allows no marked script)'
        : `${at || 'config'} ${
            typeof broken == 'string' ? ruleMessage(path, broken, value) : value === undefined ? missingMessage(broken) : shapeMessage(at, broken)
          }`;
    if (!problems.some((p) => p.text == text))
      problems.push({ text, cost: problemCost(path, broken), warning: broken == 'unknown field' && path.length == 1 });
  });
  return { config, problems };
}

/**
 * Validates `input`: the resolved config, and a message for each field that
 * makes it unusable (the fields the core reads). Never throws. Problems that
 * leave it usable (a ui option, the regions, Consent Mode, dataLayer, trusted
 * URLs) are named by `reportConfig` in diagnostics.ts, with `describeConfig`.
 */
export function validateConfig(input: unknown): ValidationResult {
  const { config, problems } = describeConfig(input);
  return {
    config,
    errors: problems.filter((p) => p.cost == 'usable').map((p) => p.text),
    warnings: problems.filter((p) => p.warning).map((p) => p.text),
  };
}
