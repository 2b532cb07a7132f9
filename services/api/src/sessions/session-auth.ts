import express, { type Request, type RequestHandler } from 'express';
import { bearerToken, safeEqual } from '@bellhop/auth';
import { findWebSession, type DomainContext } from '@bellhop/domain';
import { forbidden } from '@bellhop/errors';
import type { Caller } from '../auth/caller';
import { ADMIN_LOGIN_PATH } from '../ops/admin-paths';
import { readCookie, SESSION_COOKIES } from './cookies';

/** The portal page calls the API under this prefix, so its cookie (Path=/portal) reaches those calls and no others. */
export const PORTAL_API_PREFIX = '/portal/api/';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const formBody = express.urlencoded({ extended: false, limit: '4kb' });

/** The CSRF token a state-changing call sent: a header (the portal's X-CSRF-Token, Bull Board's X-XSRF-TOKEN) or a form field. */
function sentCsrfToken(req: Request): string {
  const body = req.body as Record<string, unknown> | undefined;
  return (
    req.get('x-csrf-token') ?? req.get('x-xsrf-token') ?? (typeof body?.csrf_token === 'string' ? body.csrf_token : '')
  );
}

async function parseForm(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    formBody(req, req.res!, (error?: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('form body could not be read')) : resolve(),
    ),
  );
}

/**
 * Signs in the browser sessions, before the bearer check (a request with a bearer header is left to it):
 * - `/portal/api/…` is the API itself for the portal page: the portal cookie makes the caller the
 *   API key that opened the session, and the path continues as `/api/…` through the same limits,
 *   routes and guards as a bearer call.
 * - `/admin/…` (Bull Board): the operator cookie makes the caller the operator.
 * A state-changing call the cookie authenticates must carry the session's CSRF token (403 otherwise).
 */
export function sessionAuth(ctx: DomainContext): RequestHandler {
  return async (req, _res, next) => {
    const portal = req.path.startsWith(PORTAL_API_PREFIX);
    const admin = !portal && (req.path === '/admin' || req.path.startsWith('/admin/'));
    if (!portal && !admin) return next();
    if (portal) req.url = req.url.slice('/portal'.length);
    if (bearerToken(req.get('authorization'))) return next(); // a script's bearer decides alone: no cookie, no CSRF
    const cookie = portal ? SESSION_COOKIES.portal : SESSION_COOKIES.admin;
    const token = readCookie(req, cookie.name);
    const session = token ? await findWebSession(ctx.db, portal ? 'portal' : 'admin', token) : null;
    if (!session || (admin && req.path === ADMIN_LOGIN_PATH)) return next();
    if (!SAFE_METHODS.has(req.method)) {
      if (admin && req.is('application/x-www-form-urlencoded')) await parseForm(req);
      if (!safeEqual(sentCsrfToken(req), session.csrfToken))
        throw forbidden('This call needs the CSRF token of your session (X-CSRF-Token header)', 'csrf_token_invalid');
    }
    const caller: Caller = session.identity ? { kind: 'agent', ...session.identity } : { kind: 'admin' };
    req.caller = caller;
    next();
  };
}
