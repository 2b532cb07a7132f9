import { Router } from 'express';
import { z } from 'zod';
import { externalEventSchema, idempotencyKeySchema, recordExternalEvent, type DomainContext } from '@bellhop/domain';
import { defineRoute, parseInput, sendData } from '@bellhop/http';
import { actingAgent } from '../auth/caller';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const record = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/external/events',
    summary: 'Record an event (202); an Idempotency-Key header makes retries safe',
    tags: ['Events'],
    auth: ['agent'],
    scope: 'events:write',
    body: externalEventSchema,
    status: 202,
    response: z.object({ event_id: z.string() }),
    description:
      'The same Idempotency-Key with the same body returns the same event_id; with a different body, 409 idempotency_conflict. ' +
      'A partner agent must name a host_id that granted it; types Bellhop emits itself (subscription.*, webhook.*) are refused with reserved_event_type. ' +
      "A W3C traceparent (and tracestate) header continues the caller's trace into the fan-out and every webhook attempt; " +
      'an invalid one is ignored and a new trace started.',
    errors: {
      400: 'Invalid field, unknown event type (unknown_event_types) or a reserved one (reserved_event_type)',
      404: 'host_id names no host this agent acts for',
      409: 'Idempotency-Key reused with a different body',
    },
    example: {
      request: {
        type: 'booking.updated',
        data: { booking_id: 'bkg_01JD0S8M2Q', guest_name: 'Ada Lovelace', check_in: '2026-12-20' },
        host_id: 'hst_01JD0S6Y1ZK3',
      },
      response: { event_id: 'evt_01JD0SB3F0N8W2Q7H4M6K9T1XZ' },
    },
  }),
);

export function eventRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, record, async (req, res) => {
    const body = record.parseBody(req);
    const header = req.get('idempotency-key');
    const idempotencyKey =
      header === undefined
        ? undefined
        : parseInput(z.object({ 'idempotency-key': idempotencyKeySchema }), { 'idempotency-key': header }, 'header')[
            'idempotency-key'
          ];
    const { event, replayed } = await recordExternalEvent(ctx, {
      agent: actingAgent(req.caller),
      idempotencyKey,
      body,
      requestId: req.id,
      trace: req.trace,
    });
    sendData(res, { event_id: event.id }, 202, replayed ? 'Already recorded with this Idempotency-Key' : undefined);
  });
  return router;
}
