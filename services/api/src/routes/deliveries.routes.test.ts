import type { Express } from 'express';
import request from 'supertest';
import type { DeliveryStatus } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { runRecovery } from '@bellhop/domain';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { generateSecret } from '@bellhop/webhooks';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
let alice: { agentId: string; auth: string };
let bob: { agentId: string; auth: string };
let subId: string;
const ids: Record<string, string> = {};

async function seedSubscription(ownerAgentId: string, isActive = true): Promise<string> {
  const sub = await env.ctx.db.webhookSubscription.create({
    data: {
      id: newId('subscription'),
      ownerAgentId,
      agentName: 'agent',
      webhookUrl: 'https://agent.example.com/hooks',
      events: ['*'],
      secretEncrypted: env.ctx.secrets.encrypt(generateSecret()),
      isActive,
      failedAttempts: 1,
      ...(isActive ? {} : { disabledReason: 'gone', disabledAt: new Date() }),
    },
  });
  return sub.id;
}

async function seedDelivery(subscriptionId: string, status: DeliveryStatus, durations: number[] = []): Promise<string> {
  const event = await env.ctx.db.event.create({
    data: { id: newId('event'), type: 'booking.created', data: { n: 1 }, fannedOutAt: new Date() },
  });
  const delivery = await env.ctx.db.delivery.create({
    data: {
      id: newId('delivery'),
      eventId: event.id,
      subscriptionId,
      status,
      attempts: durations.length,
      lastStatusCode: status === 'failed' ? 500 : null,
      completedAt: status === 'pending' ? null : new Date(),
    },
  });
  for (const [i, durationMs] of durations.entries()) {
    await env.ctx.db.deliveryAttempt.create({
      data: {
        id: newId('attempt'),
        deliveryId: delivery.id,
        number: i + 1,
        startedAt: new Date(),
        durationMs,
        statusCode: 500,
        error: 'HTTP 500',
      },
    });
  }
  return delivery.id;
}

beforeAll(async () => {
  env = await createTestEnv({ DATA_RETENTION: '7d' });
  app = createApp({ ctx: env.ctx });
  alice = await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'], name: 'alice' });
  bob = await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'], name: 'bob' });
  subId = await seedSubscription(alice.agentId);
  ids.succeeded = await seedDelivery(subId, 'succeeded', [100]);
  ids.failed = await seedDelivery(subId, 'failed', [200, 300, 400]);
  ids.cancelled = await seedDelivery(subId, 'cancelled');
});
afterAll(async () => {
  await env.close();
});

const get = (path: string, auth = alice.auth) => request(app).get(path).set('Authorization', auth);
const post = (path: string, body: object = {}, auth = alice.auth) =>
  request(app).post(path).set('Authorization', auth).send(body);

describe('delivery endpoints', () => {
  it("lists a subscription's deliveries newest first, filters by status and pages with a cursor", async () => {
    const all = await get(`/api/v1/external/webhook-subscriptions/${subId}/deliveries`);
    expect(all.status).toBe(200);
    expect(all.body.data.items.map((d: { id: string }) => d.id)).toEqual([ids.cancelled, ids.failed, ids.succeeded]);
    const failed = await get(`/api/v1/external/webhook-subscriptions/${subId}/deliveries?status=failed`);
    expect(failed.body.data.items).toHaveLength(1);
    expect(failed.body.data.items[0]).toMatchObject({
      id: ids.failed,
      status: 'failed',
      attempts: 3,
      last_status_code: 500,
      event_type: 'booking.created',
    });
    const first = await get(`/api/v1/external/webhook-subscriptions/${subId}/deliveries?limit=2`);
    expect(first.body.data.next_cursor).toBe(ids.failed);
    const second = await get(
      `/api/v1/external/webhook-subscriptions/${subId}/deliveries?limit=2&cursor=${first.body.data.next_cursor}`,
    );
    expect(second.body.data).toEqual({ items: [expect.objectContaining({ id: ids.succeeded })], next_cursor: null });
  });

  it('rejects bad filters with field details', async () => {
    const res = await get(`/api/v1/external/webhook-subscriptions/${subId}/deliveries?status=lost&limit=500`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toMatch(/status/);
    expect(JSON.stringify(res.body.error.details)).toMatch(/limit/);
  });

  it('shows one delivery with its attempt log', async () => {
    const res = await get(`/api/v1/external/deliveries/${ids.failed}`);
    expect(res.status).toBe(200);
    expect(res.body.data.attempt_log.map((a: { number: number }) => a.number)).toEqual([1, 2, 3]);
    expect(res.body.data.attempt_log[0]).toMatchObject({ duration_ms: 200, status_code: 500, error: 'HTTP 500' });
  });

  it("hides another agent's subscriptions, deliveries and recoveries as 404", async () => {
    const bobSub = await seedSubscription(bob.agentId);
    const bobRecovery = (
      await post(
        `/api/v1/external/webhook-subscriptions/${bobSub}/recover`,
        { since: new Date().toISOString() },
        bob.auth,
      )
    ).body.data.recovery_id;
    expect(bobRecovery).toMatch(/^rcv_/);
    for (const res of [
      await get(`/api/v1/external/webhook-subscriptions/${bobSub}/recoveries/${bobRecovery}`),
      await get(`/api/v1/external/webhook-subscriptions/${subId}/recoveries/${bobRecovery}`),
      await get(`/api/v1/external/webhook-subscriptions/${subId}/deliveries`, bob.auth),
      await get(`/api/v1/external/deliveries/${ids.failed}`, bob.auth),
      await post(`/api/v1/external/deliveries/${ids.failed}/retry`, {}, bob.auth),
      await post(
        `/api/v1/external/webhook-subscriptions/${subId}/recover`,
        { since: '2020-01-01T00:00:00Z' },
        bob.auth,
      ),
      await get(`/api/v1/external/webhook-subscriptions/${subId}/stats`, bob.auth),
    ])
      expect(res.status).toBe(404);
  });

  it('reports counts, success rate and latency percentiles', async () => {
    const res = await get(`/api/v1/external/webhook-subscriptions/${subId}/stats`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      window: '24h',
      counts: { pending: 0, succeeded: 1, failed: 1, cancelled: 1 },
      success_rate: 0.5,
      latency_p50_ms: 250,
      latency_p95_ms: 385,
      failed_attempts: 1,
      last_successful_call: null,
    });
    expect(Math.abs(Date.parse(res.body.data.data_retained_since) - (Date.now() - 7 * 86_400_000))).toBeLessThan(
      60_000,
    );
  });

  it('retries a failed delivery now and refuses one that succeeded', async () => {
    const res = await post(`/api/v1/external/deliveries/${ids.failed}/retry`);
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ id: ids.failed, status: 'pending' });
    expect(await env.ctx.queues.deliveries[0].getJob(`${ids.failed}-3`)).toBeTruthy();
    expect((await post(`/api/v1/external/deliveries/${ids.succeeded}/retry`)).status).toBe(409);
  });

  it('answers two concurrent retries of one failed delivery with one 202 and one 409', async () => {
    const dlv = await seedDelivery(subId, 'failed', [200]);
    const answers = await Promise.all([
      post(`/api/v1/external/deliveries/${dlv}/retry`),
      post(`/api/v1/external/deliveries/${dlv}/retry`),
    ]);
    expect(answers.map((res) => res.status).sort()).toEqual([202, 409]);
    expect((await env.ctx.db.delivery.findUniqueOrThrow({ where: { id: dlv } })).status).toBe('pending');
  });

  it('recovers failed and cancelled deliveries since a time in the background: 202 with a recovery, then its progress', async () => {
    const res = await post(`/api/v1/external/webhook-subscriptions/${subId}/recover`, {
      since: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({
      recovery_id: expect.stringMatching(/^rcv_/),
      subscription_id: subId,
      status: 'queued',
      resent: 0,
      capped: false,
      until: null,
      finished_at: null,
    });
    const path = `/api/v1/external/webhook-subscriptions/${subId}/recoveries/${res.body.data.recovery_id}`;
    expect(await env.ctx.queues.recoveries.getJob(res.body.data.recovery_id)).toBeTruthy();
    expect((await get(path)).body.data.status).toBe('queued');

    await runRecovery(env.ctx, res.body.data.recovery_id); // what the worker's job does

    const done = await get(path);
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      status: 'completed',
      resent: 1,
      capped: false,
      until: res.body.data.created_at,
      finished_at: expect.any(String),
      error: null,
    });
    expect((await env.ctx.db.delivery.findUniqueOrThrow({ where: { id: ids.cancelled } })).status).toBe('pending');
    expect((await env.ctx.db.delivery.findUniqueOrThrow({ where: { id: ids.succeeded } })).status).toBe('succeeded');
  });

  it('validates `since`: a date-time at most 14 days back, or 400 naming it', async () => {
    for (const since of ['yesterday', new Date(Date.now() - 15 * 86_400_000).toISOString()]) {
      const bad = await post(`/api/v1/external/webhook-subscriptions/${subId}/recover`, { since });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'since' })]);
    }
    expect((await get(`/api/v1/external/webhook-subscriptions/${subId}/recoveries/rcv_missing`)).status).toBe(404);
  });

  it('refuses a `since` before the retention horizon with 400 naming it, and says where the horizon is', async () => {
    const bad = await post(`/api/v1/external/webhook-subscriptions/${subId}/recover`, {
      since: new Date(Date.now() - 8 * 86_400_000).toISOString(),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      expect.objectContaining({ field: 'since', message: expect.stringContaining('data_retained_since') }),
    ]);
    const ok = await post(`/api/v1/external/webhook-subscriptions/${subId}/recover`, {
      since: new Date(Date.now() - 6 * 86_400_000).toISOString(),
    });
    expect(ok.status).toBe(202);
    expect(Date.parse(ok.body.data.data_retained_since)).toBeLessThan(Date.now() - 7 * 86_400_000 + 60_000);
  });

  it('refuses to resend for a disabled subscription with 409', async () => {
    const disabled = await seedSubscription(alice.agentId, false);
    const dlv = await seedDelivery(disabled, 'cancelled');
    expect((await post(`/api/v1/external/deliveries/${dlv}/retry`)).status).toBe(409);
    expect(
      (await post(`/api/v1/external/webhook-subscriptions/${disabled}/recover`, { since: new Date().toISOString() }))
        .status,
    ).toBe(409);
  });
});
