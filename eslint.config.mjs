// ESLint flat config: type-checked typescript-eslint for src/ and test/,
// plain (non-type-checked) rules for .mjs build/config scripts.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'demo/examples/dist/', 'node_modules/', 'coverage/', 'bench/results/', 'test-results/'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // @open-wc/semantic-dom-diff's chai augmentation types `.equal()`/`.eq()`/
          // `.eql()` (the `Equal` interface) as returning a Promise; only the
          // `.dom`/`.shadowDom` forms are really async. The match is on the callee's
          // TYPE name (`Equal`): a member-call name like 'equal' never matches here.
          // Real missing awaits elsewhere are still reported.
          // node:test's test()/describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', name: 'Equal', package: '@open-wc/semantic-dom-diff' },
            { from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'src/server/**', 'test/e2e/**', 'test/server/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The demo site's plain scripts and stand-ins run in the browser as they are.
    files: ['demo/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Benchmark scripts hand functions to the page (page.evaluate, addInitScript).
    files: ['bench/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    // The gate (dist/consentkit.js) runs on every page view: it carries no Lit and no
    // UI code: everything it holds is under src/gate/. It reaches the parts
    // (src/parts/) only through the part loader (src/gate/parts.ts); type-only
    // imports cost nothing and are allowed.
    files: ['src/cdn.ts', 'src/gate/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/*'],
              message: 'The gate holds no Lit: put this in a part that loads on demand (src/parts/, loaded by src/gate/parts.ts).',
              allowTypeImports: true,
            },
            {
              regex: '(^|/)parts/',
              message: 'The gate reaches the parts only through the part loader (src/gate/parts.ts).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
