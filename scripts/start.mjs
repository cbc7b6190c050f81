// `npm start`: build, then serve demo/ at / and dist/ at /dist/ on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStaticServer, listen, staticHandler } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Extra request handlers, tried in order before the static files. Mount the consent-record
 * endpoint here later, e.g.
 *   API_HANDLERS.push((req, res, url) => url.pathname === '/api/consent' && handleConsent(req, res));
 * @type {import('./static-server.mjs').Handler[]}
 */
const API_HANDLERS = [];

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('start: build failed');
  process.exit(build.status || 1);
}

// The consent-record endpoint (built above), keeping records with PGlite in ./data/ (git-ignored).
const { createConsentHandler } = await import('../dist/esm/server/index.js');
const consent = createConsentHandler({ dataDir: join(root, 'data', 'consentkit'), token: process.env.CONSENTKIT_TOKEN });
await consent.store();
API_HANDLERS.push((req, res, url) => {
  if (url.pathname !== '/api/consent' && !url.pathname.startsWith('/api/consent/')) return false;
  consent(req, res);
  return true;
});

const server = createStaticServer([
  ...API_HANDLERS,
  staticHandler('/dist/', join(root, 'dist')),
  staticHandler('/', join(root, 'demo')),
]);

const wanted = Number.parseInt(process.env.PORT ?? '', 10);
const preferred = Number.isInteger(wanted) && wanted >= 0 ? wanted : 8080;
let port;
try {
  port = await listen(server, preferred);
} catch (error) {
  if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
  console.warn(`start: port ${preferred} is in use; using a free port instead`);
  port = await listen(server, 0);
}
console.log(`consentkit demo: http://127.0.0.1:${port}/`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void consent.close().finally(() => process.exit(0));
  });
}
