#!/usr/bin/env node
/**
 * `consentkit-server`: the endpoint on its own node:http server.
 *
 *   consentkit-server [--port 8787] [--host 127.0.0.1] [--path /api/consent]
 *                     [--data ./data/consentkit | --database-url postgres://…]
 *                     [--origin https://shop.example]… [--trust-proxy [hops]]
 *                     [--rate-limit <POSTs per address per minute, 0 for none>]
 *                     [--auth-failure-limit <wrong tokens per address per 15 minutes, 0 for none>]
 *                     [--retain-days <days, 0 to keep records forever>]
 *                     [--log-level debug|info|warn|error|silent] [--public-metrics]
 *                     [--health-path /healthz] [--metrics-path /metrics]
 *   consentkit-server verify <export.ndjson>
 *
 * Environment: PORT, CONSENTKIT_DATABASE_URL, CONSENTKIT_ORIGINS (comma-separated),
 * CONSENTKIT_AUTH_FAILURE_LIMIT (as --auth-failure-limit, which wins when both are given),
 * CONSENTKIT_READ_TOKEN (reading; CONSENTKIT_TOKEN is its older name),
 * CONSENTKIT_ADMIN_TOKEN (reading, erasure and the dashboard at /admin), CONSENTKIT_ERASURE_KEY (keys the
 * tombstones' consent-id hash). Tokens and keys are never taken from the command
 * line, where other users could read them in the process list.
 */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createConsentHandler } from './handler.js';
import { DEFAULT_LOCKOUT } from './lockout.js';
import { createLog, LOG_LEVELS, type LogLevel } from './log.js';
import { DEFAULT_RETAIN_DAYS } from './maintenance.js';
import { verifyExport } from './verify.js';

/** Exits with a message naming the flag. */
function usage(message: string): never {
  console.error(`consentkit-server: ${message}`);
  process.exit(2);
}

/** A whole number ≥ `min` from `source` (a flag, or an environment variable), or exits naming it. */
function wholeNumber(source: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) usage(`${source} must be a whole number${min ? ` ≥ ${min}` : ''} (got "${value}")`);
  return Number(value);
}

/** A URL path from flag `name`, or exits naming the flag. */
function urlPath(name: string, value: string): string {
  if (!/^\/[^\s?#]*$/.test(value)) usage(`--${name} must be a URL path starting with / (got "${value}")`);
  return value;
}

/** `consentkit-server verify <file>`: exit 0 when the export matches its digests, 1 when not. */
async function verify(args: string[]): Promise<never> {
  if (args.length != 1) usage('verify takes one argument: the NDJSON export file (consentkit-server verify <export.ndjson>)');
  const input = createReadStream(args[0]);
  const opened = await new Promise<Error | null>((resolve) => {
    input.once('open', () => {
      resolve(null);
    });
    input.once('error', resolve);
  });
  if (opened) usage(`cannot read ${args[0]}: ${opened.message}`);
  const result = await verifyExport(createInterface({ input, crlfDelay: Infinity }));
  const summary = `${result.records} records, ${result.daysVerified} days verified, ${result.daysPurged} purged days in the chain, ${result.recordsWithoutDigest} records on days without a digest`;
  if (result.ok) console.log(`verified: ${summary}`);
  else console.error(`NOT VERIFIED: ${result.problem ?? ''}\n(${summary} before the problem)`);
  process.exit(result.ok ? 0 : 1);
}

if (process.argv[2] == 'verify') await verify(process.argv.slice(3));

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
      'auth-failure-limit': { type: 'string' },
      'retain-days': { type: 'string', default: String(DEFAULT_RETAIN_DAYS) },
      'log-level': { type: 'string', default: 'info' },
      'public-metrics': { type: 'boolean', default: false },
      'health-path': { type: 'string', default: '/healthz' },
      'metrics-path': { type: 'string', default: '/metrics' },
    },
  });
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
const { values } = parsed;
const trustProxy = wholeNumber('--trust-proxy', values['trust-proxy'], 0);
const perMinute = wholeNumber('--rate-limit', values['rate-limit'], 0);
const retainDays = wholeNumber('--retain-days', values['retain-days'], 0);
const fromEnvironment = values['auth-failure-limit'] === undefined && process.env.CONSENTKIT_AUTH_FAILURE_LIMIT !== undefined;
const failuresPerWindow = wholeNumber(
  fromEnvironment ? 'CONSENTKIT_AUTH_FAILURE_LIMIT' : '--auth-failure-limit',
  values['auth-failure-limit'] ?? process.env.CONSENTKIT_AUTH_FAILURE_LIMIT ?? String(DEFAULT_LOCKOUT.max),
  0,
);
const logLevel = values['log-level'] as LogLevel;
if (!LOG_LEVELS.includes(logLevel)) usage(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${values['log-level']}")`);
const log = createLog(logLevel);

const handler = createConsentHandler({
  path: urlPath('path', values.path),
  dataDir: values.data,
  url: values['database-url'],
  allowedOrigins: values.origin,
  readToken: process.env.CONSENTKIT_READ_TOKEN ?? process.env.CONSENTKIT_TOKEN,
  adminToken: process.env.CONSENTKIT_ADMIN_TOKEN,
  erasureKey: process.env.CONSENTKIT_ERASURE_KEY,
  trustProxy,
  rateLimit: perMinute ? { max: perMinute, windowMs: 60_000 } : false,
  authFailureLimit: failuresPerWindow ? { max: failuresPerWindow, windowMs: DEFAULT_LOCKOUT.windowMs } : false,
  retainDays: retainDays || false,
  logLevel,
  publicMetrics: values['public-metrics'],
  healthPath: urlPath('health-path', values['health-path']),
  metricsPath: urlPath('metrics-path', values['metrics-path']),
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
  log('info', 'listening', { url: `http://${values.host}:${port}${values.path}` });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void handler.close().then(() => process.exit(0));
  });
