// Minimal, dependency-free static file server on node:http, shared by
// scripts/start.mjs (demo) and test/e2e/helpers.ts.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const CONTENT_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
});

export const NO_CACHE_HEADERS = Object.freeze({
  'cache-control': 'no-store, max-age=0',
  pragma: 'no-cache',
  expires: '0',
});

/**
 * A request handler: return true (or a promise of true) if it handled the request.
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => boolean | Promise<boolean>} Handler
 */

/**
 * Serves files under `dir` for request paths under `prefix` (e.g. '/dist/').
 * Directory requests serve index.html. Never escapes `dir`.
 * @param {string} prefix URL path prefix, starting and ending with '/'
 * @param {string} dir directory on disk
 * @param {{ headers?: Record<string, string> }} [options]
 * @returns {Handler}
 */
export function staticHandler(prefix, dir, { headers = NO_CACHE_HEADERS } = {}) {
  const root = resolve(dir);
  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (!url.pathname.startsWith(prefix)) return false;
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      return false;
    }
    let file = resolve(root, normalize(rel).replace(/^([/\\])+/, ''));
    if (file !== root && !file.startsWith(root + sep)) return false;
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        file = join(file, 'index.html');
        stat = statSync(file);
      }
    } catch {
      return false;
    }
    if (!stat.isFile()) return false;
    res.writeHead(200, {
      ...headers,
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(stat.size),
    });
    if (req.method === 'HEAD') {
      res.end();
    } else {
      createReadStream(file).pipe(res);
    }
    return true;
  };
}

/**
 * Creates (but does not start) an http server that tries each handler in order
 * and answers 404 when none handles the request. `handlers` is read on every
 * request, so handlers may be pushed after creation.
 * @param {Handler[]} handlers
 */
export function createStaticServer(handlers) {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    (async () => {
      for (const handler of handlers) {
        if (await handler(req, res, url)) return;
      }
      res.writeHead(404, { ...NO_CACHE_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Not found: ${url.pathname}\n`);
    })().catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal server error\n');
    });
  });
}

/**
 * Listens on `host:port`; port 0 picks a free port.
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<number>} the port actually bound
 */
export function listen(server, port, host = '127.0.0.1') {
  return new Promise((resolvePort, reject) => {
    const onError = (/** @type {Error} */ error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
