import { Router } from 'express';
import { z } from 'zod';
import { sendTestWebhook, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { actingAgent } from '../auth/caller';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const sendTest = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/external/webhooks/test',
    summary: 'Send a webhook.test event to one of your subscriptions',
    tags: ['Webhook subscriptions'],
    auth: ['agent'],
    scope: 'webhooks:write',
    status: 202,
    body: z.strictObject({
      subscription_id: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9_-]+$/, 'not a subscription id'),
      event_type: z.string().min(1).max(200).optional(),
    }),
    response: z.object({ delivery_id: z.string(), event_id: z.string() }),
    errors: { 404: 'No such subscription (or it belongs to another agent)', 400: 'Unknown event_type' },
    example: {
      request: { subscription_id: 'sub_01JD0SA7W3K9QF2M8XN4R6T5VB', event_type: 'booking.created' },
      response: { delivery_id: 'dlv_01JD0SC1P7Y4R2M9T6K3W8N5QB', event_id: 'evt_01JD0SC1P6H2Z8V5N3K1Q7W4TD' },
    },
  }),
);

export function webhookTestRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, sendTest, async (req, res) => {
    const body = sendTest.parseBody(req);
    const result = await sendTestWebhook(ctx, {
      ownerAgentId: actingAgent(req.caller).id,
      subscriptionId: body.subscription_id,
      eventType: body.event_type,
      requestId: req.id,
      trace: req.trace,
    });
    sendData(res, { delivery_id: result.deliveryId, event_id: result.eventId }, 202);
  });
  return router;
}
