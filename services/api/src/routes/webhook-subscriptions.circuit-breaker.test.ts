import type { Express } from 'express';
import request from 'supertest';
import { newId } from '@bellhop/events';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

const base = '/api/v1/external/webhook-subscriptions';
let env: TestEnv;
let app: Express;
let auth: string;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  auth = (await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'] })).auth;
});
afterAll(async () => {
  await env.close();
});

const valid = { agent_name: 'agent', webhook_url: 'https://agent.example.com/hooks', events: ['booking.*'] };
const create = (body: Record<string, unknown>) =>
  request(app)
    .post(base)
    .set('Authorization', auth)
    .send({ ...valid, ...body });
const patch = (id: string, body: Record<string, unknown>) =>
  request(app).patch(`${base}/${id}`).set('Authorization', auth).send(body);
const stats = async (id: string) =>
  (await request(app).get(`${base}/${id}/stats`).set('Authorization', auth)).body.data;
const fields = (res: request.Response) => (res.body.error?.details ?? []).map((d: { field: string }) => d.field);

/** Opens the subscription's breaker as a run of failures would: state on the row, its pending deliveries paused. */
async function openBreaker(subscriptionId: string, pending: number) {
  const openedAt = new Date();
  await env.ctx.db.webhookSubscription.update({
    where: { id: subscriptionId },
    data: { breakerOpenedAt: openedAt, breakerProbeAt: new Date(Date.now() + 30_000), breakerFailures: 10 },
  });
  const eventIds = Array.from({ length: pending }, () => newId('event'));
  await env.ctx.db.event.createMany({ data: eventIds.map((id) => ({ id, type: 'booking.created', data: {} })) });
  await env.ctx.db.delivery.createMany({
    data: eventIds.map((eventId) => ({
      id: newId('delivery'),
      eventId,
      subscriptionId,
      nextAttemptAt: openedAt,
      pausedAt: openedAt,
    })),
  });
  return openedAt;
}
const pausedCount = (subscriptionId: string) =>
  env.ctx.db.delivery.count({ where: { subscriptionId, pausedAt: { not: null } } });

describe('circuit_breaker on subscriptions', () => {
  it('is off unless asked for, and takes the defaults (10 failures within 5m) when enabled', async () => {
    const plain = await create({});
    expect(plain.status).toBe(201);
    expect(plain.body.data.circuit_breaker).toEqual({ enabled: false, failure_threshold: 10, window: 300_000 });
    expect(await stats(plain.body.data.id)).toMatchObject({ health: 'off', unhealthy_since: null });

    const enabled = await create({ circuit_breaker: { enabled: true } });
    expect(enabled.body.data.circuit_breaker).toEqual({ enabled: true, failure_threshold: 10, window: 300_000 });
    expect(await stats(enabled.body.data.id)).toMatchObject({ health: 'healthy', unhealthy_since: null });

    const custom = await patch(enabled.body.data.id, {
      circuit_breaker: { enabled: true, failure_threshold: 3, window: '30s' },
    });
    expect(custom.body.data.circuit_breaker).toEqual({ enabled: true, failure_threshold: 3, window: 30_000 });
  });

  it('refuses bad settings with a 400 naming the field, and writes nothing', async () => {
    const before = await env.ctx.db.webhookSubscription.count();
    const cases: [unknown, string][] = [
      [{ enabled: true, failure_threshold: 0 }, 'circuit_breaker.failure_threshold'],
      [{ enabled: true, failure_threshold: 2.5 }, 'circuit_breaker.failure_threshold'],
      [{ enabled: true, window: '10ms' }, 'circuit_breaker.window'],
      [{ enabled: true, window: 'soon' }, 'circuit_breaker.window'],
      [{ failure_threshold: 5 }, 'circuit_breaker.enabled'],
      [true, 'circuit_breaker'],
    ];
    for (const [circuit_breaker, field] of cases) {
      const res = await create({ circuit_breaker });
      expect({ circuit_breaker, status: res.status, fields: fields(res) }).toEqual({
        circuit_breaker,
        status: 400,
        fields: [field],
      });
    }
    const extra = await create({ circuit_breaker: { enabled: true, threshold: 5 } });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body.error)).toContain('threshold');
    expect(await env.ctx.db.webhookSubscription.count()).toBe(before);
  });

  it('shows an open breaker in the stats, and turning it off resumes the paused deliveries', async () => {
    const id = (await create({ circuit_breaker: { enabled: true } })).body.data.id;
    const openedAt = await openBreaker(id, 4);
    expect(await stats(id)).toMatchObject({ health: 'unhealthy', unhealthy_since: openedAt.toISOString() });
    const listed = await request(app).get(`${base}/${id}/deliveries`).set('Authorization', auth);
    expect(listed.body.data.items.map((d: { paused_since: string }) => d.paused_since)).toEqual(
      Array(4).fill(openedAt.toISOString()),
    );

    const off = await patch(id, { circuit_breaker: { enabled: false } });
    expect(off.status).toBe(200);
    expect(await stats(id)).toMatchObject({ health: 'off', unhealthy_since: null });
    expect(await pausedCount(id)).toBe(0);
  });

  it('PUT without circuit_breaker turns it off; re-enabling the subscription closes an open breaker', async () => {
    const id = (await create({ circuit_breaker: { enabled: true, failure_threshold: 4 } })).body.data.id;
    const put = await request(app)
      .put(`${base}/${id}`)
      .set('Authorization', auth)
      .send({ ...valid });
    expect(put.body.data.circuit_breaker).toEqual({ enabled: false, failure_threshold: 10, window: 300_000 });

    await patch(id, { circuit_breaker: { enabled: true } });
    await openBreaker(id, 2);
    const enabled = await request(app).post(`${base}/${id}/enable`).set('Authorization', auth);
    expect(enabled.status).toBe(200);
    expect(await stats(id)).toMatchObject({ health: 'healthy', unhealthy_since: null });
    expect(await pausedCount(id)).toBe(0);
  });

  it('documents the settings and the health in the OpenAPI document', async () => {
    const doc = JSON.stringify((await request(app).get('/openapi.json').expect(200)).body);
    for (const name of ['circuit_breaker', 'failure_threshold', 'unhealthy_since', '"unhealthy"'])
      expect(doc).toContain(name);
  });
});
