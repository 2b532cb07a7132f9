import { Router } from 'express';
import { z } from 'zod';
import {
  grantHostAccess,
  listHostGrants,
  listHostsForAgent,
  revokeHostAccess,
  type DomainContext,
  type Grant,
} from '@bellhop/domain';
import { notFound } from '@bellhop/errors';
import { defineRoute, sendData } from '@bellhop/http';
import { actingAgent } from '../auth/caller';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const id = z.string().min(1).max(64);
const page = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: id.optional() });
const agentView = z.object({ id: z.string(), name: z.string(), kind: z.enum(['partner', 'platform']) });
const grantView = z.object({ host_id: z.string(), agent: agentView, granted_at: z.string() });
const presentGrant = (g: Grant): z.output<typeof grantView> => ({
  host_id: g.hostId,
  agent: g.agent,
  granted_at: g.grantedAt.toISOString(),
});
const EXAMPLE = {
  host_id: 'hst_01JD0S6Y1ZK3',
  agent: { id: 'agt_01JD0S7A2B4C', name: 'booking-assistant', kind: 'partner' as const },
  granted_at: '2026-11-23T10:00:00.000Z',
};
const TAGS = ['Agents and grants'];

const grant = apiRoutes.add(
  defineRoute({
    method: 'put',
    path: '/api/v1/hosts/:hostId/agents/:agentId',
    summary: 'Let a partner agent act for this host',
    tags: TAGS,
    auth: ['host', 'admin'],
    hostParam: 'hostId',
    description:
      "The agent then receives the host's events on its webhooks and may read and change the host's bookings and notifications. " +
      'Granting twice keeps the first grant.',
    params: z.object({ hostId: id, agentId: id }),
    response: grantView,
    errors: { 404: 'No such host or agent' },
    example: { response: EXAMPLE },
  }),
);
const revoke = apiRoutes.add(
  defineRoute({
    method: 'delete',
    path: '/api/v1/hosts/:hostId/agents/:agentId',
    summary: "Take a partner agent's grant back (204)",
    tags: TAGS,
    auth: ['host', 'admin'],
    hostParam: 'hostId',
    description:
      "The agent's deliveries about this host that are not yet sent are cancelled with reason `grant revoked`; nothing recorded later reaches it.",
    params: z.object({ hostId: id, agentId: id }),
    status: 204,
    errors: { 404: 'The agent holds no grant from this host' },
  }),
);
const listGrants = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/hosts/:hostId/agents',
    summary: 'The agents this host granted',
    tags: TAGS,
    auth: ['host', 'admin'],
    hostParam: 'hostId',
    params: z.object({ hostId: id }),
    query: page,
    response: z.object({ items: z.array(grantView), next_cursor: z.string().nullable() }),
    example: { response: { items: [EXAMPLE], next_cursor: null } },
  }),
);
const myHosts = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/hosts',
    summary: 'The hosts this agent acts for',
    tags: TAGS,
    auth: ['agent'],
    description:
      'A partner agent sees the hosts that granted it (with when); a platform agent acts for every host, so it sees them all (granted_at null).',
    query: page,
    response: z.object({
      items: z.array(z.object({ id: z.string(), name: z.string(), granted_at: z.string().nullable() })),
      next_cursor: z.string().nullable(),
    }),
    example: {
      response: {
        items: [{ id: 'hst_01JD0S6Y1ZK3', name: 'Villa Azul', granted_at: '2026-11-23T10:00:00.000Z' }],
        next_cursor: null,
      },
    },
  }),
);

export function grantRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, grant, async (req, res) => {
    const { hostId, agentId } = grant.parseParams(req);
    sendData(res, presentGrant((await grantHostAccess(ctx, hostId, agentId)).grant));
  });
  mount(router, ctx, revoke, async (req, res) => {
    const { hostId, agentId } = revoke.parseParams(req);
    if (!(await revokeHostAccess(ctx, hostId, agentId))) throw notFound('Grant');
    res.status(204).end();
  });
  mount(router, ctx, listGrants, async (req, res) => {
    const result = await listHostGrants(ctx, listGrants.parseParams(req).hostId, listGrants.parseQuery(req));
    sendData(res, { items: result.items.map(presentGrant), next_cursor: result.nextCursor });
  });
  mount(router, ctx, myHosts, async (req, res) => {
    const result = await listHostsForAgent(ctx, actingAgent(req.caller), myHosts.parseQuery(req));
    sendData(res, {
      items: result.items.map((h) => ({ id: h.id, name: h.name, granted_at: h.grantedAt?.toISOString() ?? null })),
      next_cursor: result.nextCursor,
    });
  });
  return router;
}
