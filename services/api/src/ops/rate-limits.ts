import type { Request, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { DEFAULT_RATE_LIMITS, effectiveRateLimit, type DomainContext } from '@bellhop/domain';
import { HttpError } from '@bellhop/http';
import { redisKeys } from '@bellhop/queue';
import { ResilientRedisStore } from './redis-store';

/**
 * Per-minute limits of a partner key with no limit of its own, from the original plan; the first
 * match wins. `external` is the key's general budget; a key's own limit (or the platform's
 * default) scales every rule in proportion, so the narrower routes keep their share of it.
 */
export const RATE_LIMITS = [
  {
    name: 'booking-status-change',
    method: 'PUT',
    pattern: /^\/api\/v1\/external\/bookings\/[^/]+\/status\/?$/,
    perMinute: 50,
  },
  {
    name: 'pending-bookings',
    method: 'GET',
    pattern: /^\/api\/v1\/external\/hosts\/[^/]+\/pending-bookings\/?$/,
    perMinute: 100,
  },
  {
    name: 'auto-approve',
    method: 'POST',
    pattern: /^\/api\/v1\/external\/bookings\/[^/]+\/auto-approve\/?$/,
    perMinute: 20,
  },
  {
    name: 'booking-status-read',
    method: 'GET',
    pattern: /^\/api\/v1\/external\/bookings\/[^/]+\/status\/?$/,
    perMinute: 200,
  },
  { name: 'external', method: '*', pattern: /^\/api\/v1\/external(\/|$)/, perMinute: DEFAULT_RATE_LIMITS.partner },
] as const;

/**
 * Who is counted: the authenticated caller (its API key, host or the operator), identified before
 * the limits run, so a made-up bearer cannot open a bucket of its own; anyone else by IP.
 */
function callerKey(req: Request): string {
  switch (req.caller?.kind) {
    case 'agent':
      return `key:${req.caller.keyId}`;
    case 'host':
      return `host:${req.caller.hostId}`;
    case 'admin':
      return 'admin';
    default:
      return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
  }
}

/** A rule's limit for this caller: an agent's key budget scales it; hosts, the operator and anonymous callers get it times RATE_LIMIT_SCALE. */
function limitFor(req: Request, perMinute: number, scale: number): number {
  if (req.caller?.kind !== 'agent') return Math.max(1, Math.round(perMinute * scale));
  const budget = effectiveRateLimit(
    { rateLimitPerMinute: req.caller.rateLimitPerMinute, kind: req.caller.agent.kind },
    scale,
  );
  return Math.max(1, Math.round((perMinute * budget) / DEFAULT_RATE_LIMITS.partner));
}

/** Redis-backed limits shared by every API process; fails open when Redis is down. */
export function rateLimits(ctx: DomainContext): RequestHandler {
  const log = (error: unknown, message?: string) =>
    ctx.logger.warn(message ?? 'rate limiter', { error: String(error) });
  const logger = { error: log, warn: log };
  const limiters = RATE_LIMITS.map((rule) => ({
    ...rule,
    handler: rateLimit({
      windowMs: 60_000,
      limit: (req) => limitFor(req, rule.perMinute, ctx.config.RATE_LIMIT_SCALE),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: rule.name,
      keyGenerator: callerKey,
      passOnStoreError: true,
      logger,
      store: new ResilientRedisStore(ctx.redis, `${redisKeys(ctx.config).prefix}:ratelimit:${rule.name}:`),
      handler: (req, res, next, options) => {
        const retryAfter = String(res.getHeader('Retry-After') ?? Math.ceil(options.windowMs / 1000));
        const limit = limitFor(req, rule.perMinute, ctx.config.RATE_LIMIT_SCALE);
        next(
          new HttpError(429, 'rate_limited', `Too many requests: ${limit} per minute for this API key`, undefined, {
            'Retry-After': retryAfter,
          }),
        );
      },
    }),
  }));
  return (req, res, next) => {
    const rule = limiters.find((l) => (l.method === '*' || l.method === req.method) && l.pattern.test(req.path));
    if (!rule) return next();
    return rule.handler(req, res, next);
  };
}
