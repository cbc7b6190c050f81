// Build: clean dist/, emit unbundled ESM + .d.ts with tsc into dist/esm/, write
// dist/custom-elements.json with the custom-elements-manifest analyzer, then
// bundle the IIFEs with rollup (rollup.config.mjs reads dist/esm/), then the
// examples with esbuild into demo/examples/dist/ (scripts/examples.mjs).
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

function run(label, cmd, args) {
  console.log(`> ${label}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`build: "${label}" failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('tsc -p tsconfig.build.json', bin('tsc'), ['-p', 'tsconfig.build.json']);
// dist/custom-elements.json (package.json#customElements), from the elements' JSDoc;
// settings and the plugin in custom-elements-manifest.config.mjs.
run('cem analyze', bin('cem'), ['analyze', '--quiet']);
run('rollup -c', bin('rollup'), ['-c']);
// Translations load on demand from i18n/ beside the module that fetches them:
// dist/i18n/ for consentkit-ui.js, dist/esm/parts/ui/i18n/ for the ESM build. Only the
// JSON files: the folder's CHECKED.md (how each translation was checked) stays in the repository.
for (const to of ['dist/i18n', 'dist/esm/parts/ui/i18n']) {
  rmSync(join(root, to), { recursive: true, force: true });
  cpSync(join(root, 'src/parts/ui/i18n'), join(root, to), { recursive: true, filter: (from) => !from.endsWith('.md') });
}
// The service catalog, fetched from beside the part files by audit mode (dist/consentkit-audit.js)
// and by the configure page; the gate never loads it.
cpSync(join(root, 'catalog/services.json'), join(root, 'dist/catalog/services.json'));
// The operator dashboard's script and styles (served by the endpoint at /admin/assets/),
// bundled with its chart library (uPlot, a devDependency): the endpoint never reads
// node_modules at run time.
run('dashboard', bin('esbuild'), [
  'src/server/admin/page/dashboard.ts',
  '--bundle',
  '--minify',
  '--format=iife',
  '--target=es2020',
  '--legal-comments=eof',
  '--log-level=warning',
  '--outfile=dist/admin/dashboard.js',
]);
// The framework examples (demo/examples/) bundle the ESM build just made.
run('examples', process.execPath, [join(root, 'scripts', 'examples.mjs')]);
