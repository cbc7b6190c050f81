// `npm start`: build, then serve the demo site (scripts/demo-server.mjs) on 127.0.0.1
// and print the address of each page.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAddresses, startDemo } from './demo-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('start: build failed');
  process.exit(build.status || 1);
}

const wanted = Number.parseInt(process.env.PORT ?? '', 10);
const demo = await startDemo({
  port: Number.isInteger(wanted) && wanted >= 0 ? wanted : 8080,
  token: process.env.CONSENTKIT_TOKEN || undefined,
  adminToken: process.env.CONSENTKIT_ADMIN_TOKEN || undefined,
});
console.log(`consentkit demo: ${demo.url}/

${demoAddresses(demo.url)}

Dashboard: ${demo.url}/admin
  admin token for this run: ${demo.adminToken}${demo.seeded ? `\n  (the empty demo store got ${demo.seeded} made-up records over the last 60 days)` : ''}

Press Ctrl+C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void demo.close().finally(() => process.exit(0));
  });
}
