#!/usr/bin/env node
/**
 * `consentkit-server`: the endpoint on its own node:http server.
 *
 *   consentkit-server [--port 8787] [--host 127.0.0.1] [--path /api/consent]
 *                     [--data ./data/consentkit | --database-url postgres://…]
 *                     [--origin https://shop.example]… [--trust-proxy [hops]]
 *                     [--rate-limit <POSTs per address per minute, 0 for none>]
 *
 * Environment: PORT, CONSENTKIT_DATABASE_URL, CONSENTKIT_TOKEN (reading histories),
 * CONSENTKIT_ADMIN_TOKEN (the dashboard at /admin), CONSENTKIT_ORIGINS (comma-separated). The token is never taken from the
 * command line, where other users could read it in the process list.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createConsentHandler } from './handler.js';

/** Exits with a message naming the flag. */
function usage(message: string): never {
  console.error(`consentkit-server: ${message}`);
  process.exit(2);
}

/** A whole number ≥ `min` from flag `name`'s value, or exits naming the flag. */
function wholeNumber(name: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) usage(`--${name} must be a whole number${min ? ` ≥ ${min}` : ''} (got "${value}")`);
  return Number(value);
}

// `--trust-proxy` alone means one proxy: give it its value before parseArgs, which has no optional values.
const argv = process.argv.slice(2);
const bare = argv.findIndex((arg, i) => arg == '--trust-proxy' && (i + 1 == argv.length || argv[i + 1].startsWith('-')));
if (bare >= 0) argv[bare] = '--trust-proxy=1';

let parsed;
try {
  parsed = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      path: { type: 'string', default: '/api/consent' },
      data: { type: 'string', default: './data/consentkit' },
      'database-url': { type: 'string', default: process.env.CONSENTKIT_DATABASE_URL },
      origin: { type: 'string', multiple: true, default: (process.env.CONSENTKIT_ORIGINS ?? '').split(',').filter(Boolean) },
      'trust-proxy': { type: 'string', default: '0' },
      'rate-limit': { type: 'string', default: '60' },
    },
  });
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
const { values } = parsed;
const trustProxy = wholeNumber('trust-proxy', values['trust-proxy'], 0);
const perMinute = wholeNumber('rate-limit', values['rate-limit'], 0);

const handler = createConsentHandler({
  path: values.path,
  dataDir: values.data,
  url: values['database-url'],
  allowedOrigins: values.origin,
  token: process.env.CONSENTKIT_TOKEN,
  adminToken: process.env.CONSENTKIT_ADMIN_TOKEN,
  trustProxy,
  rateLimit: perMinute ? { max: perMinute, windowMs: 60_000 } : false,
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
