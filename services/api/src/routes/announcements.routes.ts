import { Router } from 'express';
import { z } from 'zod';
import { announceToAllHosts, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const announce = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/announcements',
    summary: 'Send a system announcement to every connected host',
    description: 'Delivered live as `system_announcement` on every realtime process; not stored and not replayed.',
    tags: ['Live events'],
    auth: ['admin'],
    body: z.object({
      title: z.string().trim().min(1).max(255),
      message: z.string().trim().min(1).max(5000),
      level: z.enum(['info', 'warning', 'critical']).default('info'),
    }),
    response: z.object({ id: z.string(), sent_at: z.string() }),
    status: 202,
    example: {
      request: { title: 'Scheduled maintenance', message: 'Payouts pause tonight 02:00–02:30 UTC.', level: 'warning' },
      response: { id: 'b-1795431600000', sent_at: '2026-11-23T18:00:00.000Z' },
    },
  }),
);

export function announcementRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, announce, async (req, res) => {
    sendData(res, await announceToAllHosts(ctx, announce.parseBody(req)), 202);
  });
  return router;
}
