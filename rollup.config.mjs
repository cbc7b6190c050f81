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
 * Private-property mangling (`/^_[a-z]/`) is OFF. Lit's internals use `_$`-prefixed
 * names (which that regex would not touch), but mangling our own `_foo` members
 * breaks any name shared across the two bundles or read reflectively (Lit's
 * reactive properties declared as `_foo`). Turn on only with the full test suite
 * green against the built bundles.
 */
const MANGLE_PRIVATE_PROPERTIES = false; // measured: it saves 9 B gzip on the gate, 6 on the UI

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
    mangle: MANGLE_PRIVATE_PROPERTIES ? { properties: { regex: /^_[a-z]/ } } : true,
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
