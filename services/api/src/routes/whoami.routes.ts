import { Router } from 'express';
import { z } from 'zod';
import type { DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { allow } from '../auth/caller';
import { apiRoutes } from '../openapi';

const whoAmI = apiRoutes.add(defineRoute({
  method: 'get',
  path: '/api/v1/whoami',
  summary: 'Who am I: check a credential',
  tags: ['Auth'],
  auth: ['agent', 'host', 'admin'],
  response: z.object({ kind: z.enum(['agent', 'host', 'admin']), keyId: z.string().optional(), name: z.string().optional(), scopes: z.array(z.string()).optional(), hostId: z.string().optional() }),
  example: { response: { kind: 'agent', keyId: 'key_01JD0S6Y1ZK3', name: 'booking-assistant', scopes: ['webhooks:read', 'webhooks:write'] } },
}));

export function whoAmIRoutes(ctx: DomainContext): Router {
  const router = Router();
  router.get(whoAmI.path, allow(ctx, { anyCaller: true }), (req, res) => sendData(res, req.caller));
  return router;
}
