/**
 * The consent-record endpoint as a plain `(req, res, next?)` handler for
 * `node:http`, Express, Connect and the like. Its routes are one dispatch
 * table (`routes` below): each names its method, path, token scope and code.
 *
 *   POST {path}                 store a record → 201, or 200 when already stored
 *   OPTIONS {path}              CORS preflight for allowed origins
 *   GET {path}/<consentId>      that consent id's history (read token)
 *   GET {path}/records          list and search, cursor-paginated (read token)
 *   GET {path}/export           NDJSON or CSV, streamed (read token)
 *   GET {path}/digests          daily digests (read token)
 *   GET {path}/erasures         erasure tombstones (read token)
 *   DELETE {path}/<consentId>   erase a consent id (admin token)
 *   GET /healthz                storage reachable: 200 or 503
 *   GET /metrics                Prometheus text (read token, or public)
 *   /admin, /admin/…            the operator dashboard and its API (src/server/admin/routes.ts; admin token)
 *
 * Every route with a token, and all of /admin, answers 429 to a client address that has
 * sent too many wrong tokens lately (src/server/lockout.ts), before comparing any token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PATH, createAdminRoutes } from './admin/routes.js';
import { createAuthorizer, refusalHeaders, type Authorization, type Authorize } from './auth.js';
import { HttpError, MAX_BODY_BYTES, readBody, storageError, tooLarge, type Route, type RouteContext } from './http.js';
import { DEFAULT_LOCKOUT, Lockout } from './lockout.js';
import { createLog, type LogLevel, type LogSink } from './log.js';
import { DEFAULT_RETAIN_DAYS, MAINTENANCE_INTERVAL_MS, maintain, retainDaysOption } from './maintenance.js';
import { Metrics } from './metrics.js';
import { operatorRoutes } from './operator.js';
import { openStore, type ConsentStore, type StoreOptions } from './storage.js';
import { validateRecord } from './validate.js';

export { MAX_BODY_BYTES };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONSENT_ID = '/:consentId';

export interface ConsentHandlerOptions extends StoreOptions {
  /** A store to use instead of opening one from `url` / `dataDir`. */
  store?: ConsentStore | Promise<ConsentStore>;
  /** URL path the handler answers (default `/api/consent`). */
  path?: string;
  /**
   * Origins (`https://shop.example`) whose pages may post records, or `*` for any.
   * A page served by the same host as the endpoint is always allowed.
   */
  allowedOrigins?: string[] | '*';
  /** The read token under its first name: used as `readToken` when that is not given. */
  token?: string;
  /** Bearer token for reading (histories, listing, export, digests, metrics); without it (and without `adminToken`) reading is disabled. */
  readToken?: string;
  /** Bearer token for everything the read token can do, erasure and the dashboard (`/admin`); without it, erasure and the dashboard are disabled. */
  adminToken?: string;
  /** POSTs per client address per window (default 60 per 60 s), or false for none. */
  rateLimit?: { max: number; windowMs: number } | false;
  /**
   * Wrong tokens per client address per window on the operator routes (default 10 per 15 minutes),
   * or false for no limit. At `max` the address gets 429 on every operator route until its window ends.
   */
  authFailureLimit?: { max: number; windowMs: number } | false;
  /**
   * Behind proxies you run: how many of them (`true` = 1). The client address is then the
   * `X-Forwarded-For` entry that many places from the right, the one your outermost proxy
   * saw; entries left of it are written by the visitor and never used. Default `false` (0):
   * the socket's address.
   */
  trustProxy?: boolean | number;
  /** Records received more than this many days ago are deleted (daily; default 1490), or false to keep them. */
  retainDays?: number | false;
  /** Path of the health check (default `/healthz`). */
  healthPath?: string;
  /** Path of the Prometheus metrics (default `/metrics`). */
  metricsPath?: string;
  /** Serve metrics without a token (default false: the read token is required). */
  publicMetrics?: boolean;
  /** Lowest level logged (default `info`; `silent` for none). */
  logLevel?: LogLevel;
  /** Receives each log line as an object instead of stdout (to capture or forward logs). */
  logger?: LogSink;
}

/** The handler, plus the store it opened (for closing on shutdown). */
export interface ConsentHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** The store, opened on first use or by calling this. */
  store(): Promise<ConsentStore>;
  /** Stops the daily maintenance and closes the store. */
  close(): Promise<void>;
  /**
   * Checks a request's bearer token for a scope, as the handler's own routes do (for routes of
   * your own): counts wrong tokens and answers 429 to a locked-out address, as they do.
   */
  authorize: Authorize;
  /** The counters `/metrics` shows. */
  metrics: Metrics;
  /** Closes ended days into digests and applies retention now (it also runs at start and hourly). */
  maintain(now?: Date): Promise<{ closed: number; purged: number }>;
}

/** An option's value for an error message. */
const shown = (value: unknown) => (typeof value == 'number' ? String(value) : (JSON.stringify(value) as string | undefined) ?? typeof value);

/** The number of trusted proxies `trustProxy` means; throws naming the option when it is not one. */
function trustedHops(trustProxy: unknown): number {
  if (trustProxy === undefined || typeof trustProxy == 'boolean') return trustProxy ? 1 : 0;
  if (typeof trustProxy == 'number' && Number.isInteger(trustProxy) && trustProxy >= 0) return trustProxy;
  throw new TypeError(`trustProxy must be true, false or a whole number of proxies (got ${shown(trustProxy)})`);
}

/** At most `max` per client address per `windowMs`. */
interface Limit {
  max: number;
  windowMs: number;
}

/** A `{ max, windowMs }` limit option (`rateLimit`, `authFailureLimit`) checked, `fallback` when not given; throws naming it. */
function limitOption(name: string, value: unknown, fallback: Limit): Limit | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  const { max, windowMs } = (value ?? {}) as Record<string, unknown>;
  if (typeof max == 'number' && Number.isInteger(max) && max > 0 && typeof windowMs == 'number' && Number.isFinite(windowMs) && windowMs > 0)
    return { max, windowMs };
  throw new TypeError(`${name} must be false or { max, windowMs } with a whole max > 0 and windowMs > 0 (got ${shown(value)})`);
}

/**
 * The client address: the socket's, or behind `hops` trusted proxies the `X-Forwarded-For`
 * entry `hops` places from the right (each proxy appends the address it received from).
 * With fewer entries than hops, the leftmost there is.
 */
function clientAddress(req: IncomingMessage, hops: number): string {
  const socket = req.socket.remoteAddress ?? '';
  if (hops == 0) return socket;
  const entries = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length) return socket;
  return entries[Math.max(0, entries.length - hops)];
}

/** Where records are kept, for the startup line: never a password. */
function storageDescription(options: ConsentHandlerOptions): Record<string, unknown> {
  if (options.store) return { storage: 'custom store' };
  if (options.url) {
    try {
      const url = new URL(options.url);
      return { storage: 'PostgreSQL', database: `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}` };
    } catch {
      return { storage: 'PostgreSQL' };
    }
  }
  return { storage: 'PGlite', dataDir: options.dataDir ?? './data/consentkit' };
}

/** Creates the endpoint handler. The store opens lazily on the first request. */
export function createConsentHandler(options: ConsentHandlerOptions = {}): ConsentHandler {
  const base = (options.path ?? '/api/consent').replace(/\/+$/, '');
  const allowed = options.allowedOrigins ?? [];
  const limit = limitOption('rateLimit', options.rateLimit, { max: 60, windowMs: 60_000 });
  const lockoutLimit = limitOption('authFailureLimit', options.authFailureLimit, DEFAULT_LOCKOUT);
  const hops = trustedHops(options.trustProxy);
  const retainDays = retainDaysOption(options.retainDays);
  const log = createLog(options.logLevel, options.logger);
  const metrics = new Metrics();
  const readToken = options.readToken ?? options.token;
  const checkToken = createAuthorizer({ readToken, adminToken: options.adminToken });
  const healthPath = options.healthPath ?? '/healthz';
  const metricsPath = options.metricsPath ?? '/metrics';

  log('info', 'configured', {
    ...storageDescription(options),
    path: base,
    allowedOrigins: allowed,
    readToken: !!readToken,
    adminToken: !!options.adminToken,
    authFailureLimit: lockoutLimit,
    retainDays,
    metrics: { path: metricsPath, token: options.publicMetrics ? 'none' : 'read' },
    healthPath,
  });
  if (retainDays && retainDays < DEFAULT_RETAIN_DAYS)
    log('warn', 'retainDays is below the default: records must stay until the choices they prove have expired, plus time for disputes', { retainDays });

  let maintenanceTimer: NodeJS.Timeout | undefined;
  let maintenanceRun: Promise<unknown> = Promise.resolve();
  const runMaintenance = (opened: ConsentStore, now?: Date) => {
    const run = maintenanceRun.then(() => maintain(opened, retainDays, log, metrics, now));
    maintenanceRun = run.catch((e: unknown) => {
      log('error', 'maintenance failed', { error: storageError(e) });
    });
    return run;
  };
  let opened: Promise<ConsentStore> | undefined;
  const store = () =>
    (opened ??= Promise.resolve(options.store ?? openStore(options)).then(
      (ready) => {
        if (!maintenanceTimer) {
          void runMaintenance(ready).catch(() => undefined);
          maintenanceTimer = setInterval(() => void runMaintenance(ready).catch(() => undefined), MAINTENANCE_INTERVAL_MS).unref();
        }
        return ready;
      },
      (e: unknown) => {
        // Try again on the next request (the database may come back); until then answer 503.
        opened = undefined;
        throw e;
      },
    ));

  // Fixed windows: one counter per address, all dropped when the window ends, so memory stays bounded by one window's clients.
  let hits = new Map<string, number>();
  let windowEnds = 0;
  const limited = (address: string) => {
    if (!limit) return false;
    const now = Date.now();
    if (now >= windowEnds) {
      hits = new Map();
      windowEnds = now + limit.windowMs;
    }
    const n = (hits.get(address) ?? 0) + 1;
    hits.set(address, n);
    return n > limit.max;
  };

  const lockout = lockoutLimit ? new Lockout(lockoutLimit) : null;
  /** The 429 for a client address locked out after wrong tokens, or null. */
  const lockedOut = (address: string): Extract<Authorization, { status: 429 }> | null => {
    const retryAfter = lockout?.retryAfter(address) ?? 0;
    if (!retryAfter) return null;
    metrics.authLocked++;
    return { ok: false, status: 429, message: 'too many failed tokens from this address; retry later', retryAfter };
  };
  // The lockout is checked before the token: a locked address learns nothing from its guesses.
  const authorize: Authorize = (req, scope) => {
    const address = clientAddress(req, hops);
    const authorization = lockedOut(address) ?? checkToken(req, scope);
    if (authorization.ok || authorization.status == 429) return authorization;
    metrics.authFailures++;
    // 401 only: a 403 came with a right token, for the wrong scope.
    if (authorization.status == 401 && lockout?.fail(address))
      log('warn', 'operator routes locked for an address after failed tokens', { address, failures: lockout.limit.max, windowMs: lockout.limit.windowMs });
    return authorization;
  };

  const originAllowed = (req: IncomingMessage, origin: string | undefined) => {
    if (!origin) return false;
    if (allowed === '*' || allowed.includes(origin)) return true;
    try {
      return new URL(origin).host == req.headers.host;
    } catch {
      return false;
    }
  };

  const intake = async ({ req, send }: RouteContext) => {
    metrics.received++;
    if (!originAllowed(req, req.headers.origin)) throw new HttpError(403, `origin ${req.headers.origin ?? '(none)'} is not allowed`, 'origin');
    if (limited(clientAddress(req, hops))) throw new HttpError(429, 'too many requests from this address; retry later', 'rate_limited');
    // text/plain is what navigator.sendBeacon sends for a string body (a JSON
    // Blob would need a CORS preflight a beacon cannot make); the body must still be JSON.
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type != 'application/json' && type != 'text/plain') throw new HttpError(415, 'content type must be application/json', 'content_type');
    let record: unknown;
    try {
      // A body parser mounted before us (express.json(), express.text()) has already read the stream.
      const parsed = (req as IncomingMessage & { body?: unknown }).body;
      let text: string;
      if (!req.readableEnded) text = await readBody(req);
      else if (typeof parsed == 'string' || Buffer.isBuffer(parsed)) text = parsed.toString();
      else text = parsed === undefined ? '' : JSON.stringify(parsed);
      if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
      record = JSON.parse(text);
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, 'body is not valid JSON', 'bad_json');
    }
    const problem = validateRecord(record);
    if (problem) throw new HttpError(400, problem, 'invalid');
    const inserted = await (await store()).insert(record as Parameters<ConsentStore['insert']>[0]);
    if (inserted) metrics.stored++;
    else metrics.duplicates++;
    send(inserted ? 201 : 200, inserted ? { stored: true } : { stored: true, duplicate: true });
  };

  const preflight = ({ req, send }: RouteContext) => {
    if (!originAllowed(req, req.headers.origin)) throw new HttpError(403, `origin ${req.headers.origin ?? '(none)'} is not allowed`);
    send(204, '', {
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
      'access-control-max-age': '600',
    });
    return Promise.resolve();
  };

  const history = async ({ consentId, send }: RouteContext) => {
    if (!UUID.test(consentId)) throw new HttpError(400, 'consent id must be a lowercase UUID');
    const records = await (await store()).history(consentId);
    if (!records.length) throw new HttpError(404, 'no records for this consent id');
    send(200, { consentId, records });
  };

  const health = async ({ send }: RouteContext) => {
    try {
      const ready = await store();
      await (ready.operator ? ready.operator.ping() : ready.count());
      send(200, { status: 'ok', storage: 'reachable' });
    } catch (e) {
      log('error', 'health check: storage unreachable', { error: storageError(e) });
      send(503, { status: 'unavailable', storage: 'unreachable' }, { 'retry-after': '30' });
    }
  };

  const metricsRoute = ({ res }: RouteContext) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
    res.end(metrics.render());
    return Promise.resolve();
  };

  // The dispatch table: an exact path wins over `/:consentId`; a path matched with another method is a 405.
  // A route of your own is one more entry: { name, method, path, scope: 'read' | 'admin' | null, run }.
  const routes: Route[] = [
    { name: 'record', method: 'POST', path: base, scope: null, run: intake },
    { name: 'preflight', method: 'OPTIONS', path: base, scope: null, run: preflight },
    ...operatorRoutes(base, store, metrics),
    { name: 'history', method: 'GET', path: `${base}${CONSENT_ID}`, scope: 'read', run: history },
    { name: 'healthz', method: 'GET', path: healthPath, scope: null, run: health },
    { name: 'metrics', method: 'GET', path: metricsPath, scope: options.publicMetrics ? null : 'read', run: metricsRoute },
  ];
  const routesFor = (path: string): Route[] => {
    const exact = routes.filter((route) => route.path == path);
    if (exact.length) return exact;
    return routes.filter((route) => {
      if (!route.path.endsWith(CONSENT_ID)) return false;
      const prefix = `${route.path.slice(0, -CONSENT_ID.length)}/`;
      return path.startsWith(prefix) && !path.slice(prefix.length).includes('/');
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL, path: string, candidates: Route[]) => {
    const origin = req.headers.origin;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const cors: Record<string, string> = originAllowed(req, origin)
        ? { 'access-control-allow-origin': origin ?? '', 'access-control-allow-credentials': 'true' }
        : {};
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', vary: 'Origin', ...cors, ...headers });
      res.end(JSON.stringify(body));
    };
    const route = candidates.find((candidate) => candidate.method == req.method);
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const name = route?.name ?? 'method_not_allowed';
      metrics.observe(name, seconds);
      // The route's path, not the request's: no consent id and no query in the logs.
      log('info', 'request', {
        method: req.method,
        path: route?.path ?? candidates[0].path,
        route: name,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e4) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    try {
      if (!route) {
        const methods = [...new Set(candidates.map((candidate) => candidate.method))].join(', ');
        throw new HttpError(405, `only ${methods} ${methods.includes(',') ? 'are' : 'is'} supported here`, undefined, { allow: methods });
      }
      if (route.scope) {
        const authorization = authorize(req, route.scope);
        if (!authorization.ok) throw new HttpError(authorization.status, authorization.message, undefined, refusalHeaders(authorization));
      }
      const consentId = route.path.endsWith(CONSENT_ID) ? path.slice(route.path.length - CONSENT_ID.length + 1) : '';
      await route.run({ req, res, url, consentId, send });
    } catch (e) {
      if (res.headersSent) {
        // Mid-stream (an export): the client must see a broken download, not a complete-looking one.
        log('error', 'failed while answering', { route: route?.name, error: storageError(e) });
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        if (e.reason && route?.name == 'record') metrics.refuse(e.reason);
        send(e.status, { error: e.message }, e.headers);
        return;
      }
      // Storage down: a 5xx tells the reporter to keep the record and retry.
      metrics.storageErrors++;
      log('error', 'storage failed', { route: route?.name, error: storageError(e) });
      send(503, { error: 'storage unavailable; retry later' }, { 'retry-after': '30' });
    }
  };

  const admin = createAdminRoutes({ store, authorize: (req) => authorize(req, 'admin') });

  const handler = ((req, res, next) => {
    // Express and Connect strip a mount path from req.url; originalUrl keeps it.
    const raw = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const url = new URL(raw, 'http://x');
    const path = url.pathname.replace(/\/+$/, '');
    if (path == ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`)) {
      const locked = lockedOut(clientAddress(req, hops));
      if (!locked) return void admin(req, res, path);
      res.writeHead(locked.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...refusalHeaders(locked) });
      res.end(JSON.stringify({ error: locked.message }));
      return;
    }
    const candidates = routesFor(path || '/');
    if (!candidates.length) {
      if (next) next();
      else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found' }));
      }
      return;
    }
    void handle(req, res, url, path, candidates);
  }) as ConsentHandler;
  handler.store = store;
  handler.authorize = authorize;
  handler.metrics = metrics;
  handler.maintain = async (now) => runMaintenance(await store(), now);
  handler.close = async () => {
    clearInterval(maintenanceTimer);
    await maintenanceRun;
    if (opened) await (await opened).close();
  };
  return handler;
}
