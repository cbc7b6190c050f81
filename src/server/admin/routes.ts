/**
 * The operator dashboard, served by the endpoint under `/admin`:
 *
 *   GET  /admin                      the page (sign-in, then charts and tables)
 *   POST /admin                      303 back to /admin (the sign-in form without its script)
 *   GET  /admin/assets/<file>        the page's script and styles, built into dist/admin/
 *   GET  /admin/api/filters          the values the filters offer, first and last day
 *   GET  /admin/api/categories       granted/refused per day and category
 *   GET  /admin/api/actions          records per day and action
 *   GET  /admin/api/records          the latest decisions
 *
 * Every `/admin/api/` route wants the admin token as `Authorization: Bearer <token>`
 * (401 without); the page keeps it in sessionStorage. See docs/dashboard.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refusalHeaders, type Authorization } from '../auth.js';
import { storageError } from '../http.js';
import type { ConsentStore } from '../storage.js';
import { ADMIN_CSP, DASHBOARD_HTML } from './page.js';
import { ParameterError, dayRangeOf, latestOf, noParameters } from './parameters.js';
import type { DashboardQueries } from './queries.js';

/** The path the dashboard answers under. */
export const ADMIN_PATH = '/admin';

export interface AdminRouteOptions {
  /** The store (opened on first use). */
  store: () => Promise<ConsentStore>;
  /** Whether the request carries the admin's credentials (or its address is locked out: 429). */
  authorize: (req: IncomingMessage) => Authorization;
  /** Folder of the built page files (default: dist/admin/ of this package). */
  assetsDir?: string;
}

/** Answers a request under `/admin`; `path` is the URL path without a trailing slash. */
export type AdminRoutes = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

const ASSETS: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy': ADMIN_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** dist/admin/ beside this module in the built package, or in the repository when run from src/. */
function defaultAssetsDir(): string {
  const packageOrDist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const built = join(packageOrDist, 'admin');
  return existsSync(join(built, 'dashboard.js')) ? built : join(packageOrDist, 'dist', 'admin');
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const ADMIN_TOKEN_REQUIRED = 'the admin token is required, as Authorization: Bearer <token> (the endpoint takes it from adminToken / CONSENTKIT_ADMIN_TOKEN)';

/** The API routes: path after `/admin/api/` → what it answers for the query parameters. */
const API: Record<string, (queries: DashboardQueries, params: URLSearchParams) => Promise<unknown>> = {
  filters: (queries, params) => {
    noParameters(params);
    return queries.filterValues();
  },
  categories: async (queries, params) => {
    const range = dayRangeOf(params);
    return { ...range, days: await queries.categoriesByDay(range) };
  },
  actions: async (queries, params) => {
    const range = dayRangeOf(params);
    return { ...range, days: await queries.actionsByDay(range) };
  },
  records: async (queries, params) => {
    const { slice, limit } = latestOf(params);
    return { records: await queries.latestRecords(slice, limit) };
  },
};

/** The dashboard's routes for the endpoint handler (src/server/handler.ts). */
export function createAdminRoutes({ store, authorize, assetsDir }: AdminRouteOptions): AdminRoutes {
  const assets = new Map<string, Buffer>();
  const asset = (name: string) => {
    let content = assets.get(name);
    if (!content) {
      const file = join(assetsDir ?? defaultAssetsDir(), name);
      if (!existsSync(file)) throw new AdminError(500, `the dashboard's ${name} is missing from ${dirname(file)} (run npm run build)`);
      content = readFileSync(file);
      assets.set(name, content);
    }
    return content;
  };

  return async (req, res, path) => {
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...headers });
      res.end(req.method == 'HEAD' ? undefined : body);
    };
    const sendJson = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      send(status, 'application/json', JSON.stringify(body), headers);
    };
    const reading = req.method == 'GET' || req.method == 'HEAD';
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const rest = path.slice(ADMIN_PATH.length + 1);
      if (path == ADMIN_PATH) {
        // The sign-in form posts here only when its script did not run; the body (the token) is never read.
        if (req.method == 'POST') {
          req.resume();
          send(303, 'text/plain; charset=utf-8', 'See /admin', { location: ADMIN_PATH });
        } else if (reading) send(200, 'text/html; charset=utf-8', DASHBOARD_HTML);
        else throw new AdminError(405, 'only GET (and the sign-in form POST) are supported here');
        return;
      }
      if (rest.startsWith('assets/') && Object.hasOwn(ASSETS, rest.slice('assets/'.length))) {
        if (!reading) throw new AdminError(405, 'only GET is supported here');
        const name = rest.slice('assets/'.length);
        send(200, ASSETS[name], asset(name));
        return;
      }
      const name = rest.startsWith('api/') ? rest.slice('api/'.length) : '';
      if (!Object.hasOwn(API, name)) throw new AdminError(404, `no such dashboard route: ${path.slice(0, 100)}`);
      if (!reading) throw new AdminError(405, 'only GET is supported here');
      const authorization = authorize(req);
      if (!authorization.ok) {
        // The read token here is a 401 too: the page asks for the admin token.
        const refusal = authorization.status == 429 ? authorization : ({ ok: false, status: 401, message: ADMIN_TOKEN_REQUIRED } as const);
        throw new AdminError(refusal.status, refusal.message, refusalHeaders(refusal));
      }
      const queries = (await store()).dashboard;
      if (!queries) throw new AdminError(501, 'this store has no dashboard queries (use openStore)');
      sendJson(200, await API[name](queries, url.searchParams));
    } catch (e) {
      if (e instanceof ParameterError) sendJson(400, { error: e.message });
      else if (e instanceof AdminError) sendJson(e.status, { error: e.message }, e.headers);
      else {
        console.error(`[consentkit] dashboard error: storage failed (${storageError(e)})`);
        sendJson(503, { error: 'storage unavailable; retry later' }, { 'retry-after': '30' });
      }
    }
  };
}
