import { Router } from 'express';
import { z } from 'zod';
import { INBOUND_PROVIDERS, listInboundReceipts, reprocessInboundReceipt, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';
import { presentReceipt } from './inbound-receipts.presenter';

const receipt = {
  id: 'rcp_01JD2X0G6S4N',
  connection_id: 'inb_01JD2WZQ1H7C',
  provider: 'hostaway',
  event_name: 'reservation.updated',
  dedupe_key: 'sha256:9f2c…',
  status: 'rejected',
  error: 'reservation 40751234: no check-in date (looked at arrivalDate)',
  attempts: 1,
  raw_body: '{"object":"reservation","event":"reservation.updated",…}',
  processed_at: null,
  created_at: '2026-11-23T22:00:00.000Z',
};

const list = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/inbound-receipts',
    summary: 'Inbound channel webhooks received, newest first',
    tags: ['Inbound', 'Admin'],
    auth: ['admin'],
    query: z.object({
      provider: z.enum(INBOUND_PROVIDERS).optional(),
      status: z.enum(['received', 'processed', 'ignored', 'failed', 'rejected']).optional(),
      connection_id: z.string().min(1).max(64).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().min(1).max(64).optional(),
    }),
    example: { response: { items: [receipt], next_cursor: null } },
  }),
);
const reprocess = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/inbound-receipts/:id/reprocess',
    summary: 'Process one inbound receipt again, now',
    tags: ['Inbound', 'Admin'],
    auth: ['admin'],
    params: z.object({ id: z.string().min(1).max(64) }),
    example: {
      response: { ...receipt, status: 'processed', error: null, attempts: 6, processed_at: '2026-11-23T22:10:00.000Z' },
    },
    errors: { 404: 'No such receipt' },
  }),
);

export function inboundReceiptRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, list, async (req, res) => {
    const q = list.parseQuery(req);
    const page = await listInboundReceipts(ctx, {
      provider: q.provider,
      status: q.status,
      connectionId: q.connection_id,
      limit: q.limit,
      cursor: q.cursor,
    });
    sendData(res, { items: page.items.map(presentReceipt), next_cursor: page.nextCursor });
  });
  mount(router, ctx, reprocess, async (req, res) => {
    sendData(
      res,
      presentReceipt(
        await reprocessInboundReceipt(ctx, reprocess.parseParams(req).id, { requestId: req.id, trace: req.trace }),
      ),
    );
  });
  return router;
}
