import type { Express } from 'express';
import request from 'supertest';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
let auth: string;
let subscriptionId: string;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  auth = (await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'] })).auth;
  subscriptionId = (
    await request(app)
      .post('/api/v1/external/webhook-subscriptions')
      .set('Authorization', auth)
      .send({ agent_name: 'a', webhook_url: 'http://127.0.0.1:9/h', events: ['booking.created'] })
  ).body.data.id;
});
afterAll(async () => {
  await env.close();
});

describe('POST /api/v1/external/webhooks/test', () => {
  it('records a webhook.test event for that subscription only, with its pending delivery, and queues both', async () => {
    const res = await request(app)
      .post('/api/v1/external/webhooks/test')
      .set('Authorization', auth)
      .send({ subscription_id: subscriptionId, event_type: 'booking.created' });
    expect(res.status).toBe(202);
    const { delivery_id: deliveryId, event_id: eventId } = res.body.data;
    const event = await env.ctx.db.event.findUniqueOrThrow({ where: { id: eventId } });
    expect(event).toMatchObject({
      type: 'webhook.test',
      targetSubscriptionId: subscriptionId,
      data: expect.objectContaining({ requested_event_type: 'booking.created', message: expect.any(String) }),
    });
    const delivery = await env.ctx.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery).toMatchObject({ eventId, subscriptionId, status: 'pending' });
    expect(delivery.nextAttemptAt).not.toBeNull();
    expect(await env.ctx.queues.deliveries[0].getJob(deliveryId)).toBeTruthy();
    expect(await env.ctx.queues.events.getJob(eventId)).toBeTruthy();
  });

  it('refuses an unknown event_type and a deleted subscription', async () => {
    const bad = await request(app)
      .post('/api/v1/external/webhooks/test')
      .set('Authorization', auth)
      .send({ subscription_id: subscriptionId, event_type: 'nope.never' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('event_type');
    await request(app).delete(`/api/v1/external/webhook-subscriptions/${subscriptionId}`).set('Authorization', auth);
    expect(
      (
        await request(app)
          .post('/api/v1/external/webhooks/test')
          .set('Authorization', auth)
          .send({ subscription_id: subscriptionId })
      ).status,
    ).toBe(404);
  });
});
