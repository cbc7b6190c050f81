/**
 * Bearer tokens for the operator routes, in two scopes: `read` (histories,
 * listing, export, digests, metrics) and `admin` (all of read, and erasure).
 * Tokens are compared as SHA-256 digests with timingSafeEqual: equal lengths,
 * and no early exit that would tell how much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type Scope = 'read' | 'admin';

/** The tokens, each optional: a scope without a token (and no admin token for read) is disabled. */
export interface Tokens {
  readToken?: string;
  adminToken?: string;
}

/**
 * The outcome of a check. 429 comes only from the handler's `authorize`, when the client's
 * address is locked out after failed tokens (src/server/lockout.ts): `retryAfter` is in seconds.
 */
export type Authorization =
  | { ok: true; scope: Scope }
  | { ok: false; status: 401 | 403; message: string }
  | { ok: false; status: 429; message: string; retryAfter: number };

/** `authorize(req, scope)`: whether `req` carries a token good for `scope`. */
export type Authorize = (req: IncomingMessage, scope: Scope) => Authorization;

/** The headers a refusal is answered with: how to authenticate (401), when to come back (429). */
export function refusalHeaders(refusal: Authorization & { ok: false }): Record<string, string> {
  if (refusal.status == 401) return { 'www-authenticate': 'Bearer' };
  if (refusal.status == 429) return { 'retry-after': String(refusal.retryAfter) };
  return {};
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The check for `tokens`. No token or an unknown one: 401. The read token on an admin route:
 * 403 (the caller is known, and not allowed). The admin token is good for read routes too.
 */
export function createAuthorizer(tokens: Tokens): Authorize {
  const read = tokens.readToken ? digest(tokens.readToken) : null;
  const admin = tokens.adminToken ? digest(tokens.adminToken) : null;
  return (req, scope) => {
    if (scope == 'admin' ? !admin : !admin && !read)
      return { ok: false, status: 401, message: `${scope == 'admin' ? 'this route is' : 'reading records is'} disabled (no ${scope} token configured)` };
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!presented) return { ok: false, status: 401, message: 'a valid bearer token is required' };
    const given = digest(presented[1]);
    // Both comparisons always run, so the time taken does not tell which token matched.
    const isAdmin = admin ? timingSafeEqual(given, admin) : false;
    const isRead = read ? timingSafeEqual(given, read) : false;
    if (isAdmin) return { ok: true, scope: 'admin' };
    if (!isRead) return { ok: false, status: 401, message: 'a valid bearer token is required' };
    return scope == 'read' ? { ok: true, scope: 'read' } : { ok: false, status: 403, message: 'the read token cannot do this: the admin token is required' };
  };
}
