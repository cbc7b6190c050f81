// Rollup bundles the tsc output (dist/esm/, written by scripts/build.mjs) into
// self-contained, minified IIFEs for <script> tags. No TypeScript plugin needed.
//
// Design: dist/consentkit.js is the one-tag "gate" that stays small for returning
// visitors; it loads dist/consentkit-ui.js (the Lit banner) from beside itself only
// when the banner must be shown.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';

/**
 * IIFE bundles to build. Add entries here; an entry whose input does not exist
 * (yet) at build time is skipped with a notice instead of failing the build.
 * `sharedFromUi`: the part runs after the UI part and takes from it the modules in
 * `SHARED_WITH_UI` instead of carrying copies. `eager`: nearly every function of the file
 * runs as soon as it loads, so the file starts with V8's compile hint (`EAGER_HINT`).
 * @type {{ input: string, file: string, name: string, sharedFromUi?: boolean, eager?: boolean }[]}
 */
export const IIFE_ENTRIES = [
  { input: 'dist/esm/cdn.js', file: 'dist/consentkit.js', name: 'consentkitGate', eager: true },
  // The parts the gate loads only when needed (src/gate/parts.ts): each puts its
  // exports on window.consentkitParts.<part>.
  { input: 'dist/esm/parts/ui/define.js', file: 'dist/consentkit-ui.js', name: 'consentkitParts.ui', eager: true },
  // The preferences dialog, loaded after the banner's file (src/gate/ui-loader.ts).
  { input: 'dist/esm/parts/preferences/define-preferences.js', file: 'dist/consentkit-preferences.js', name: 'consentkitParts.preferences', sharedFromUi: true },
  { input: 'dist/esm/parts/corner/corner.js', file: 'dist/consentkit-corner.js', name: 'consentkitParts.corner', eager: true },
  { input: 'dist/esm/parts/sender/sender.js', file: 'dist/consentkit-sender.js', name: 'consentkitParts.sender' },
  { input: 'dist/esm/parts/embeds/embeds.js', file: 'dist/consentkit-embeds.js', name: 'consentkitParts.embeds' },
  // Loaded only when the gate's check finds a problem in the config: names each one.
  { input: 'dist/esm/parts/diagnostics/diagnostics.js', file: 'dist/consentkit-diagnostics.js', name: 'consentkitParts.diagnostics' },
  // Audit mode, loaded only when switched on; never counted in the first-visit budget.
  { input: 'dist/esm/parts/audit/entry.js', file: 'dist/consentkit-audit.js', name: 'consentkitParts.audit' },
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

/**
 * What the UI part exports as `window.consentkitParts.ui.shared` (src/parts/ui/shared.ts):
 * module → key. A part built with `sharedFromUi` leaves these modules out and reads
 * them from there, so Lit and the shared UI code download once.
 */
const SHARED_WITH_UI = {
  'lit/html.js': 'litHtml',
  'dist/esm/parts/ui/stylesheet.js': 'cssTag',
  'dist/esm/parts/ui/gpc.js': 'gpc',
  'dist/esm/parts/ui/kit-element.js': 'kitElement',
  'dist/esm/parts/ui/styles.js': 'styles',
};
/** Module id (bare, or a resolved path) → its key in `SHARED_WITH_UI`, or undefined. */
const sharedKey = (id) => SHARED_WITH_UI[id] ?? Object.entries(SHARED_WITH_UI).find(([path]) => resolve(path) == id)?.[1];

/** Lit's modules the UI part shares, imported name by name (src/parts/ui/shared.ts). */
const SHARED_LIT = ['lit/html.js'];

/**
 * Fails the build of a `sharedFromUi` part that imports from Lit a name the UI part
 * does not share (src/parts/ui/shared.ts lists Lit's exports one by one).
 */
const checkSharedLit = () => ({
  name: 'check-shared-lit',
  generateBundle(_options, bundle) {
    const source = readFileSync('dist/esm/parts/ui/shared.js', 'utf8');
    for (const module of SHARED_LIT) {
      const clause = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*'${module}'`).exec(source);
      const shared = new Set((clause?.[1] ?? '').split(',').map((name) => name.trim()));
      for (const chunk of Object.values(bundle)) {
        for (const name of chunk.importedBindings?.[module] ?? []) {
          if (!shared.has(name)) this.error(`${chunk.fileName} imports ${name} from ${module}, which src/parts/ui/shared.ts does not share`);
        }
      }
    }
  },
});

/**
 * V8's explicit compile hint (Chrome 136 and later; other engines read a comment): the
 * whole file is compiled as it is fetched, on a background thread, instead of each
 * function on the main thread the first time it is called. It must be the file's first
 * line. Only for files whose functions nearly all run at once (the gate, the banner, the
 * corner): the dialog's part, say, only registers its element until it is opened.
 */
export const EAGER_HINT = '//# allFunctionsCalledOnLoad';

const plugins = ({ eager = false } = {}) => [
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
    format: { comments: false, ...(eager ? { preamble: EAGER_HINT } : {}) },
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
    external: entry.sharedFromUi ? (id) => sharedKey(id) !== undefined : [],
    output: {
      file: entry.file,
      format: 'iife',
      name: entry.name,
      sourcemap: false,
      // (Rollup also asks about the root of `name`, which is no shared module.)
      globals: entry.sharedFromUi ? (id) => (sharedKey(id) === undefined ? undefined : `consentkitParts.ui.shared.${sharedKey(id)}`) : {},
    },
    plugins: entry.sharedFromUi ? [...plugins(entry), checkSharedLit()] : plugins(entry),
  });
}

if (configs.length === 0) {
  throw new Error('rollup: no IIFE inputs found in dist/esm/ (did tsc run?)');
}

export default configs;
