// Rollup bundles the tsc output (dist/esm/, written by scripts/build.mjs) into
// self-contained, minified IIFEs for <script> tags. No TypeScript plugin needed.
//
// Design: dist/consentkit.js is the one-tag "gate" that stays small for returning
// visitors; it loads dist/consentkit-ui.js (the Lit banner) from beside itself only
// when the banner must be shown.
import { existsSync } from 'node:fs';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';

/**
 * IIFE bundles to build. Add entries here; an entry whose input does not exist
 * (yet) at build time is skipped with a notice instead of failing the build.
 * @type {{ input: string, file: string, name: string }[]}
 */
export const IIFE_ENTRIES = [
  { input: 'dist/esm/cdn.js', file: 'dist/consentkit.js', name: 'consentkitGate' },
  // The parts the gate loads only when needed (src/parts.ts): each puts its
  // exports on window.consentkitParts.<part>.
  { input: 'dist/esm/ui/define.js', file: 'dist/consentkit-ui.js', name: 'consentkitParts.ui' },
  { input: 'dist/esm/ui/corner.js', file: 'dist/consentkit-corner.js', name: 'consentkitParts.corner' },
  // Audit mode, loaded only when switched on; never counted in the first-visit budget.
  { input: 'dist/esm/audit/entry.js', file: 'dist/consentkit-audit.js', name: 'consentkitParts.audit' },
];

/**
 * Names of private members are NOT shortened, because it does not pay after gzip
 * (measured with the template minifier on, Nov 2026):
 * - TypeScript `private` members rewritten as ES `#private` ones (which terser
 *   shortens by itself): 215 B raw off `consentkit-ui.js` but 4 B gzip more, as
 *   `#a`, `#b`, … compress worse than words that recur in the file.
 * - `mangle.properties` with `/^_[a-z]/`: gate +2 B gzip, UI -1 B; it would also
 *   break names shared across part files or read by name (Lit's reactive
 *   properties, `changed.has('asking')`).
 */

const plugins = () => [
  // Lit's css`` and html`` templates, minified as CSS (clean-css) and HTML
  // (html-minifier-terser) with their `${}` holes kept. A template the minifiers
  // cannot parse fails the build instead of shipping as written.
  minifyTemplateLiterals({
    include: ['dist/esm/**'],
    failOnError: true,
    options: {
      // A css`` fragment of bare declarations (the dark palette in styles.ts,
      // put into two rules) is no stylesheet: it is left as written, and the
      // rules it is put into are minified.
      minifyOptions: { removeAttributeQuotes: true },
      shouldMinifyCSS: (template) => template.tag == 'css' && template.parts.some((part) => part.text.includes('{')),
    },
  }),
  replace({
    preventAssignment: true,
    values: { DEV_MODE: 'false' },
  }),
  nodeResolve({
    browser: true,
    // 'production' picks Lit's production build (no dev-mode warnings, smaller).
    exportConditions: ['production'],
  }),
  terser({
    ecma: 2020,
    module: false,
    // A third pass and method shorthand for function-valued properties (never
    // called with `new` here): 62 B gzip off the gate. `unsafe_comps`/`pure_getters`
    // stay off: they may change NaN comparisons or drop layout-forcing reads.
    compress: { passes: 3, unsafe_methods: true },
    mangle: true,
    format: { comments: false },
  }),
];

const configs = [];
for (const entry of IIFE_ENTRIES) {
  if (!existsSync(entry.input)) {
    console.warn(`rollup: skipping ${entry.file} (no ${entry.input})`);
    continue;
  }
  configs.push({
    input: entry.input,
    output: {
      file: entry.file,
      format: 'iife',
      name: entry.name,
      sourcemap: false,
    },
    plugins: plugins(),
  });
}

if (configs.length === 0) {
  throw new Error('rollup: no IIFE inputs found in dist/esm/ (did tsc run?)');
}

export default configs;
