import { Router } from 'express';
import { z } from 'zod';
import { effectiveRateLimit, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const whoAmI = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/whoami',
    summary: 'Who am I: check a credential',
    tags: ['Auth'],
    auth: ['agent', 'host', 'admin'],
    description:
      'For an API key: the key (id, name, scopes, the requests a minute it may send to /api/v1/external) and the agent it belongs to ' +
      '(a platform agent acts for every host, a partner for the hosts that granted it).',
    response: z.object({
      kind: z.enum(['agent', 'host', 'admin']),
      keyId: z.string().optional(),
      name: z.string().optional(),
      scopes: z.array(z.string()).optional(),
      rateLimitPerMinute: z.number().int().optional(),
      agent: z.object({ id: z.string(), name: z.string(), kind: z.enum(['partner', 'platform']) }).optional(),
      hostId: z.string().optional(),
    }),
    example: {
      response: {
        kind: 'agent',
        keyId: 'key_01JD0S6Y1ZK3',
        name: 'booking-assistant key',
        scopes: ['webhooks:read', 'webhooks:write'],
        rateLimitPerMinute: 600,
        agent: { id: 'agt_01JD0S6Y1ZK3', name: 'booking-assistant', kind: 'partner' },
      },
    },
  }),
);

export function whoAmIRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, whoAmI, (req, res) => {
    const caller = req.caller;
    if (caller?.kind !== 'agent') return sendData(res, caller);
    sendData(res, {
      ...caller,
      rateLimitPerMinute: effectiveRateLimit(
        { rateLimitPerMinute: caller.rateLimitPerMinute, kind: caller.agent.kind },
        ctx.config.RATE_LIMIT_SCALE,
      ),
    });
  });
  return router;
}
