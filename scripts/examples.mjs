// `npm run examples:build`: bundles demo/examples/* with esbuild into
// demo/examples/dist/* (git-ignored), the way a site would bundle them. `consentkit`
// resolves to the ESM build in dist/esm/, so run after tsc (scripts/build.mjs does).
// They stay out of dist/, which is what the npm package ships (test/package-files.txt);
// the demo server serves them at /examples/<name>/.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'demo', 'examples');
const out = join(src, 'dist');

if (!existsSync(join(root, 'dist', 'esm', 'index.js'))) {
  console.error('examples: dist/esm/index.js is missing; run `npm run build` first.');
  process.exit(1);
}

/** The page of a bundled example: all of it is rendered by its main.js. */
const shell = (name) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>consentkit example: ${name}</title>
    <script type="module" src="main.js"></script>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`;

const examples = readdirSync(src, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name != 'dist')
  .map((e) => e.name);
rmSync(out, { recursive: true, force: true });
for (const name of examples) {
  mkdirSync(join(out, name), { recursive: true });
  const entry = ['main.tsx', 'main.ts'].map((f) => join(src, name, f)).find(existsSync);
  if (!entry) {
    // The plain example is just its HTML and the one-tag bundle.
    cpSync(join(src, name, 'index.html'), join(out, name, 'index.html'));
    continue;
  }
  writeFileSync(join(out, name, 'index.html'), shell(name));
  await build({
    entryPoints: [entry],
    // ESM with splitting, as a site's bundler would: the UI that init() loads with
    // import() becomes a chunk of its own, fetched only when the banner is needed.
    outdir: join(out, name),
    entryNames: 'main',
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    target: 'es2022',
    jsx: 'automatic',
    logLevel: 'warning',
    alias: { consentkit: join(root, 'dist', 'esm', 'index.js') },
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
}
// The examples' own index, so the folder's address (printed by `npm start`) opens a page.
const links = examples.map((name) => `      <li><a href="${name}/">${name}</a></li>`).join('\n');
writeFileSync(
  join(out, 'index.html'),
  `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>consentkit examples</title>
  </head>
  <body>
    <h1>consentkit examples</h1>
    <p>Each reads the consent, follows changes and opens the preferences (sources in demo/examples/).</p>
    <ul>
${links}
    </ul>
  </body>
</html>
`,
);
console.log(`examples: built ${examples.join(', ')} into demo/examples/dist/`);
