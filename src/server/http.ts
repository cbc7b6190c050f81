/** Small HTTP pieces shared by the endpoint's routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RefusalReason } from './metrics.js';

/** Bodies above this many bytes are refused with 413 (a record is about 1 KB). */
export const MAX_BODY_BYTES = 16 * 1024;

/** An answer other than success: its status and a message for `{ "error" }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Why a POSTed record was refused, for the metrics. */
    readonly reason?: RefusalReason,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const tooLarge = () => new HttpError(413, `body is larger than ${MAX_BODY_BYTES} bytes`, 'too_large', { connection: 'close' });

/** Reads the body, refusing it past MAX_BODY_BYTES without buffering the rest. */
export function readBody(req: IncomingMessage): Promise<string> {
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

/** Writes `chunk`, waiting while the client's buffer is full; false once the client has gone. */
export async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}

/** What a route is given. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request URL (path and query). */
  url: URL;
  /** The consent id, on routes whose path ends in `/:consentId`. */
  consentId: string;
  /** Answers JSON (with CORS headers for allowed origins). */
  send: (status: number, body: unknown, headers?: Record<string, string>) => void;
}

/** One entry of the handler's dispatch table. */
export interface Route {
  /** Label in logs and metrics. */
  name: string;
  method: string;
  /** Exact path, or a path ending in `/:consentId` (one path segment). */
  path: string;
  /** Token scope required, or null for none. */
  scope: 'read' | 'admin' | null;
  run: (context: RouteContext) => Promise<void>;
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
