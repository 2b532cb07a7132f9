import { Router } from 'express';
import { z } from 'zod';
import {
  effectiveRateLimit,
  MAX_RATE_LIMIT_PER_MINUTE,
  setApiKeyRateLimit,
  type ApiKeySummary,
  type DomainContext,
} from '@bellhop/domain';
import { notFound } from '@bellhop/errors';
import { defineRoute, sendData } from '@bellhop/http';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const keyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  agent: z.object({ id: z.string(), name: z.string(), kind: z.enum(['partner', 'platform']) }),
  rate_limit_per_minute: z.number().int().nullable(),
  effective_rate_limit_per_minute: z.number().int(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

const setLimit = apiRoutes.add(
  defineRoute({
    method: 'patch',
    path: '/api/v1/admin/api-keys/:keyId',
    summary: "Set an API key's rate limit",
    tags: ['Admin'],
    auth: ['admin'],
    description:
      "Requests a minute the key may send to /api/v1/external; null restores its kind's default (partner 600, platform 300,000, times RATE_LIMIT_SCALE). " +
      'The narrower per-route limits scale with it. Applies at once in the API process that answers, within 5 seconds in the others.',
    params: z.object({ keyId: z.string().min(1).max(64) }),
    body: z
      .object({ rate_limit_per_minute: z.number().int().min(1).max(MAX_RATE_LIMIT_PER_MINUTE).nullable() })
      .strict(),
    response: keyView,
    errors: { 404: 'No such API key' },
    example: {
      request: { rate_limit_per_minute: 6000 },
      response: {
        id: 'key_01JD0S6Y1ZK3',
        name: 'booking backend',
        prefix: 'bh_3fa9c2d1',
        scopes: ['events:write'],
        agent: { id: 'agt_01JD0S6Y1ZK3', name: 'booking-platform', kind: 'platform' },
        rate_limit_per_minute: 6000,
        effective_rate_limit_per_minute: 6000,
        created_at: '2026-11-23T10:00:00.000Z',
        last_used_at: null,
        revoked_at: null,
      },
    },
  }),
);

function presentKey(key: ApiKeySummary, scale: number): z.output<typeof keyView> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    agent: key.agent,
    rate_limit_per_minute: key.rateLimitPerMinute,
    effective_rate_limit_per_minute: effectiveRateLimit(
      { rateLimitPerMinute: key.rateLimitPerMinute, kind: key.agent.kind },
      scale,
    ),
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}

export function apiKeyRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, setLimit, async (req, res) => {
    const { keyId } = setLimit.parseParams(req);
    const key = await setApiKeyRateLimit(ctx.db, keyId, setLimit.parseBody(req).rate_limit_per_minute);
    if (!key) throw notFound('API key');
    sendData(res, presentKey(key, ctx.config.RATE_LIMIT_SCALE));
  });
  return router;
}
