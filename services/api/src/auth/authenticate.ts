import type { RequestHandler } from 'express';
import { bearerToken } from '@bellhop/auth';
import type { DomainContext } from '@bellhop/domain';
import { redisKeys } from '@bellhop/queue';
import { identify } from './caller';
import { FailedAuthLimit } from '@bellhop/http';

/** One count per process, shared by the bearer check and the sign-in forms. */
export const failedAuthLimit = (ctx: DomainContext) =>
  new FailedAuthLimit(ctx.redis, redisKeys(ctx.config).prefix, ctx.config.AUTH_FAILURE_LIMIT);

/**
 * Identifies the caller of every request once, before the per-key rate limits (which then count
 * real keys, not whatever bearer was sent). A bearer that names nobody leaves the request
 * anonymous (routes that need a caller answer 401) and counts against the client IP; an IP past
 * AUTH_FAILURE_LIMIT a minute gets 429 before any credential lookup. Without a bearer, a browser
 * session may already have named the caller (sessions/session-auth.ts).
 */
export function authenticate(ctx: DomainContext, failures = failedAuthLimit(ctx)): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) return next();
    const ip = req.ip ?? 'unknown';
    failures.refuseIfBlocked(ip);
    const caller = await identify(ctx, token);
    req.caller = caller ?? undefined; // a bad bearer is not rescued by a session cookie
    if (!caller) await failures.recordFailure(ip);
    next();
  };
}
