#!/usr/bin/env node
/**
 * `consentkit-server`: the endpoint on its own node:http server.
 *
 *   consentkit-server [--port 8787] [--host 127.0.0.1] [--path /api/consent]
 *                     [--data ./data/consentkit | --database-url postgres://…]
 *                     [--origin https://shop.example]… [--trust-proxy]
 *
 * Environment: PORT, CONSENTKIT_DATABASE_URL, CONSENTKIT_TOKEN (reading histories),
 * CONSENTKIT_ORIGINS (comma-separated). The token is never taken from the
 * command line, where other users could read it in the process list.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createConsentHandler } from './handler.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    path: { type: 'string', default: '/api/consent' },
    data: { type: 'string', default: './data/consentkit' },
    'database-url': { type: 'string', default: process.env.CONSENTKIT_DATABASE_URL },
    origin: { type: 'string', multiple: true, default: (process.env.CONSENTKIT_ORIGINS ?? '').split(',').filter(Boolean) },
    'trust-proxy': { type: 'boolean', default: false },
  },
});

const handler = createConsentHandler({
  path: values.path,
  dataDir: values.data,
  url: values['database-url'],
  allowedOrigins: values.origin,
  token: process.env.CONSENTKIT_TOKEN,
  trustProxy: values['trust-proxy'],
});
// Open (and migrate) before listening, so a bad database (or a PGlite folder another process
// has open) fails at start, not on the first visitor.
try {
  await handler.store();
} catch (e) {
  console.error(`consentkit-server: cannot open the store: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
const server = createServer(handler);
server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  const port = typeof address == 'object' && address ? address.port : values.port;
  console.log(`consentkit endpoint: http://${values.host}:${port}${values.path} (${values['database-url'] ? 'PostgreSQL' : `PGlite in ${values.data}`})`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void handler.close().then(() => process.exit(0));
  });
