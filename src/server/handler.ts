/**
 * The consent-record endpoint as a plain `(req, res, next?)` handler for
 * `node:http`, Express, Connect and the like.
 *
 *   POST {path}              store a record → 201, or 200 when already stored
 *   OPTIONS {path}           CORS preflight for allowed origins
 *   GET {path}/<consentId>   that consent id's history, with `Authorization: Bearer <token>`
 *   /admin, /admin/…         the operator dashboard and its API (src/server/admin/routes.ts)
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PATH, createAdminRoutes } from './admin/routes.js';
import { openStore, type ConsentStore, type StoreOptions } from './storage.js';
import { validateRecord } from './validate.js';

/** Bodies above this many bytes are refused with 413 (a record is about 1 KB). */
export const MAX_BODY_BYTES = 16 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
  /** Bearer token for reading histories; without one, GET is disabled. */
  token?: string;
  /** Bearer token of the operator dashboard (`/admin`); without one, its API answers 401. */
  adminToken?: string;
  /** POSTs per client address per window (default 60 per 60 s), or false for none. */
  rateLimit?: { max: number; windowMs: number } | false;
  /**
   * Behind proxies you run: how many of them (`true` = 1). The client address is then the
   * `X-Forwarded-For` entry that many places from the right, the one your outermost proxy
   * saw; entries left of it are written by the visitor and never used. Default `false` (0):
   * the socket's address.
   */
  trustProxy?: boolean | number;
}

/** The handler, plus the store it opened (for closing on shutdown). */
export interface ConsentHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** The store, opened on first use or by calling this. */
  store(): Promise<ConsentStore>;
  /** Closes the store. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const tooLarge = () => new HttpError(413, `body is larger than ${MAX_BODY_BYTES} bytes`);

/** Reads the body, refusing it past MAX_BODY_BYTES without buffering the rest. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      reject(tooLarge());
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * What went wrong in storage, in one line and never the record: a database
 * error's message may quote the values it refused, so one with an SQLSTATE
 * code is named by that code alone.
 */
export function storageError(e: unknown): string {
  if (!(e instanceof Error)) return 'unknown error';
  const code = (e as { code?: unknown }).code;
  return typeof code == 'string' ? `${e.name} ${code}` : `${e.name}: ${e.message.split('\n')[0].slice(0, 200)}`;
}

/** Whether `req` carries `Authorization: Bearer <token>` whose digest is `expected` (compared in constant time). */
function bearerMatches(req: IncomingMessage, expected: Buffer | null): boolean {
  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return !!expected && !!auth && timingSafeEqual(digest(auth[1]), expected);
}

/** An option's value for an error message. */
const shown = (value: unknown) => (typeof value == 'number' ? String(value) : (JSON.stringify(value) as string | undefined) ?? typeof value);

/** The number of trusted proxies `trustProxy` means; throws naming the option when it is not one. */
function trustedHops(trustProxy: unknown): number {
  if (trustProxy === undefined || typeof trustProxy == 'boolean') return trustProxy ? 1 : 0;
  if (typeof trustProxy == 'number' && Number.isInteger(trustProxy) && trustProxy >= 0) return trustProxy;
  throw new TypeError(`trustProxy must be true, false or a whole number of proxies (got ${shown(trustProxy)})`);
}

function rateLimitOption(rateLimit: unknown): { max: number; windowMs: number } | false {
  if (rateLimit === undefined) return { max: 60, windowMs: 60_000 };
  if (rateLimit === false) return false;
  const { max, windowMs } = (rateLimit ?? {}) as Record<string, unknown>;
  if (typeof max == 'number' && Number.isInteger(max) && max > 0 && typeof windowMs == 'number' && Number.isFinite(windowMs) && windowMs > 0)
    return { max, windowMs };
  throw new TypeError(`rateLimit must be false or { max, windowMs } with a whole max > 0 and windowMs > 0 (got ${shown(rateLimit)})`);
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

/** Creates the endpoint handler. The store opens lazily on the first request. */
export function createConsentHandler(options: ConsentHandlerOptions = {}): ConsentHandler {
  const base = (options.path ?? '/api/consent').replace(/\/+$/, '');
  const allowed = options.allowedOrigins ?? [];
  const limit = rateLimitOption(options.rateLimit);
  const hops = trustedHops(options.trustProxy);
  const token = options.token ? digest(options.token) : null;
  const adminToken = options.adminToken ? digest(options.adminToken) : null;
  let opened: Promise<ConsentStore> | undefined;
  const store = () =>
    (opened ??= Promise.resolve(options.store ?? openStore(options)).catch((e: unknown) => {
      // Try again on the next request (the database may come back); until then answer 503.
      opened = undefined;
      throw e;
    }));

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

  const originAllowed = (req: IncomingMessage, origin: string | undefined) => {
    if (!origin) return false;
    if (allowed === '*' || allowed.includes(origin)) return true;
    try {
      return new URL(origin).host == req.headers.host;
    } catch {
      return false;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const origin = req.headers.origin;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const cors: Record<string, string> = originAllowed(req, origin)
        ? { 'access-control-allow-origin': origin ?? '', 'access-control-allow-credentials': 'true' }
        : {};
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', vary: 'Origin', ...cors, ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      if (path == base) {
        if (req.method == 'OPTIONS') {
          if (!originAllowed(req, origin)) throw new HttpError(403, `origin ${origin ?? '(none)'} is not allowed`);
          send(204, '', {
            'access-control-allow-methods': 'POST, GET, OPTIONS',
            'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
            'access-control-max-age': '600',
          });
          return;
        }
        if (req.method != 'POST') throw new HttpError(405, 'only POST (and GET of one consent id) is supported');
        if (!originAllowed(req, origin)) throw new HttpError(403, `origin ${origin ?? '(none)'} is not allowed`);
        if (limited(clientAddress(req, hops))) throw new HttpError(429, 'too many requests from this address; retry later');
        // text/plain is what navigator.sendBeacon sends for a string body (a JSON
        // Blob would need a CORS preflight a beacon cannot make); the body must still be JSON.
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (type != 'application/json' && type != 'text/plain') throw new HttpError(415, 'content type must be application/json');
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
          throw new HttpError(400, 'body is not valid JSON');
        }
        const problem = validateRecord(record);
        if (problem) throw new HttpError(400, problem);
        const inserted = await (await store()).insert(record as Parameters<ConsentStore['insert']>[0]);
        send(inserted ? 201 : 200, inserted ? { stored: true } : { stored: true, duplicate: true });
        return;
      }
      const consentId = path.slice(base.length + 1);
      if (req.method != 'GET') throw new HttpError(405, 'only GET is supported here');
      if (!bearerMatches(req, token))
        throw new HttpError(401, token ? 'a valid bearer token is required' : 'reading records is disabled (no token configured)');
      if (!UUID.test(consentId)) throw new HttpError(400, 'consent id must be a lowercase UUID');
      const records = await (await store()).history(consentId);
      if (!records.length) throw new HttpError(404, 'no records for this consent id');
      send(200, { consentId, records });
    } catch (e) {
      if (e instanceof HttpError) {
        send(e.status, { error: e.message }, e.status == 401 ? { 'www-authenticate': 'Bearer' } : e.status == 413 ? { connection: 'close' } : {});
        return;
      }
      // Storage down: a 5xx tells the reporter to keep the record and retry.
      console.error(`[consentkit] endpoint error: storage failed (${storageError(e)})`);
      send(503, { error: 'storage unavailable; retry later' }, { 'retry-after': '30' });
    }
  };

  const admin = createAdminRoutes({ store, isAdmin: (req) => bearerMatches(req, adminToken) });

  const handler = ((req, res, next) => {
    // Express and Connect strip a mount path from req.url; originalUrl keeps it.
    const raw = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const path = new URL(raw, 'http://x').pathname.replace(/\/+$/, '');
    if (path == ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`)) return void admin(req, res, path);
    if (path != base && !path.startsWith(`${base}/`)) {
      if (next) next();
      else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found' }));
      }
      return;
    }
    void handle(req, res, path);
  }) as ConsentHandler;
  handler.store = store;
  handler.close = async () => {
    if (opened) await (await opened).close();
  };
  return handler;
}
