// The demo site's server, used by `npm start` (scripts/start.mjs) and the demo tests:
// demo/ at /, dist/ at /dist/, the built examples (demo/examples/dist/) at /examples/, the reference consent endpoint at /api/consent
// and its operator dashboard at /admin, on 127.0.0.1. An empty demo store is first filled with made-up records
// (src/server/admin/demo-records.ts) so the dashboard has something to show.
//
// Demo only: the endpoint's history reads (GET /api/consent/<id>) need a bearer token, and
// the records page (demo/records.html) must be able to send one. The server writes the token
// into that page as it serves it, and only to a loopback client. A real site never hands
// its token to a browser page; it reads histories from its own back office.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_CACHE_HEADERS, createStaticServer, listen, staticHandler } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const TOKEN_SLOT = '<meta name="consentkit-demo-token" content="">';

/**
 * What `npm start` prints once the demo server runs at `origin`: one line per address,
 * each a page to open, except the endpoint, which is marked with the method it takes.
 * test/e2e/start.test.ts requests every address this text holds.
 * @param {string} origin e.g. `http://127.0.0.1:8080`
 */
export function demoAddresses(origin) {
  const lines = [
    [`${origin}/`, 'the demo shop (analytics, ad pixel, video and map, all local stand-ins)'],
    [`${origin}/configure.html`, 'build a config: see the banner live, copy the tag and JSON'],
    [`${origin}/records.html`, 'the consent records the endpoint stored for this browser'],
    [`${origin}/audit.html?consentkit-audit`, 'audit mode on a page with deliberately unmarked tags'],
    [`${origin}/examples/`, 'framework examples (plain, react, vue, bundler)'],
    [`POST ${origin}/api/consent`, 'the consent-record endpoint (records in ./data/consentkit)'],
    [`${origin}/admin`, 'the operator dashboard (sign in with the admin token printed below)'],
  ];
  const width = Math.max(...lines.map(([address]) => address.length));
  return lines.map(([address, what]) => `  ${address.padEnd(width)}   ${what}`).join('\n');
}

/** How many made-up records an empty demo store gets, spread over how many past days. */
export const DEMO_RECORDS = { count: 3000, days: 60 };

/**
 * Starts the demo server. Needs a built dist/ and examples (`npm run build`).
 * @param {{ port?: number, dataDir?: string, token?: string, adminToken?: string, seed?: boolean }} [options]
 *   port (0 = any free port; default 8080, or a free one when 8080 is taken),
 *   dataDir (PGlite folder; default ./data/consentkit; `memory://` keeps nothing),
 *   token (bearer token for reading histories; default: a random one for this run),
 *   adminToken (the dashboard's token; default: a random one for this run),
 *   seed (fill an empty store with made-up records; default true)
 */
export async function startDemo({
  port = 8080,
  dataDir = join(root, 'data', 'consentkit'),
  token = randomUUID(),
  adminToken = randomUUID(),
  seed = true,
} = {}) {
  const { createConsentHandler } = await import('../dist/esm/server/index.js');
  const { demoRecords } = await import('../dist/esm/server/admin/demo-records.js');
  const consent = createConsentHandler({ dataDir, token, adminToken });
  const store = await consent.store();
  const seeded = seed && (await store.count()) == 0 ? ((await store.importRecords?.(demoRecords(DEMO_RECORDS))) ?? 0) : 0;

  /** @type {import('./static-server.mjs').Handler} */
  const api = (req, res, url) => {
    const endpoint = ['/api/consent', '/admin'].some((path) => url.pathname === path || url.pathname.startsWith(`${path}/`));
    if (!endpoint) return false;
    consent(req, res);
    return true;
  };
  /** @type {import('./static-server.mjs').Handler} */
  const records = (req, res, url) => {
    if (req.method !== 'GET' || url.pathname !== '/records.html') return false;
    const html = readFileSync(join(root, 'demo', 'records.html'), 'utf8');
    const local = LOOPBACK.test(req.socket.remoteAddress ?? '');
    const slot = `<meta name="consentkit-demo-token" content="${local ? token : ''}">`;
    res.writeHead(200, { ...NO_CACHE_HEADERS, 'content-type': 'text/html; charset=utf-8' });
    res.end(html.replace(TOKEN_SLOT, slot));
    return true;
  };
  const server = createStaticServer([
    api,
    records,
    staticHandler('/dist/', join(root, 'dist')),
    staticHandler('/examples/', join(root, 'demo', 'examples', 'dist')),
    staticHandler('/', join(root, 'demo')),
  ]);

  let bound;
  try {
    bound = await listen(server, port);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
    console.warn(`demo: port ${port} is in use; using a free port instead`);
    bound = await listen(server, 0);
  }
  return {
    url: `http://127.0.0.1:${bound}`,
    token,
    adminToken,
    /** How many made-up records this start put into the (empty) store. */
    seeded,
    close: async () => {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      await consent.close();
    },
  };
}
