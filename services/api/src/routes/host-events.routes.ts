import { Router } from 'express';
import { z } from 'zod';
import { findHost, sendHostEvent, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { notFound } from '@bellhop/errors';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const send = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/hosts/:hostId/events/send',
    summary: "Push a custom event to a host's live stream",
    description:
      'Appended to the host stream (so it is replayed on reconnect) and delivered by every realtime process.',
    tags: ['Live events'],
    auth: ['admin', 'host'],
    hostParam: 'hostId',
    params: z.object({ hostId: z.string().min(1).max(64) }),
    body: z.strictObject({
      event: z
        .string()
        .regex(/^[a-z_]{1,40}$/, 'must be 1-40 lowercase letters or underscores')
        .default('custom'),
      data: z.record(z.string(), z.unknown()),
    }),
    response: z.object({ id: z.string(), event: z.string() }),
    status: 202,
    errors: { 404: 'No such host' },
    example: {
      request: { event: 'custom', data: { note: 'Cleaner arrived at Villa Azul' } },
      response: { id: '1795431600000-0', event: 'custom' },
    },
  }),
);

export function hostEventRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, send, async (req, res) => {
    const { hostId } = send.parseParams(req);
    const body = send.parseBody(req);
    if (!(await findHost(ctx.db, hostId))) throw notFound('Host');
    sendData(res, { id: await sendHostEvent(ctx, hostId, body.event, body.data), event: body.event }, 202);
  });
  return router;
}
