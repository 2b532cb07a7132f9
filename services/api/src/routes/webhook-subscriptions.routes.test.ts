import type { Express } from 'express';
import request from 'supertest';
import { newId } from '@bellhop/events';
import { subscriptionSigningSecrets } from '@bellhop/domain';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

const base = '/api/v1/external/webhook-subscriptions';
let env: TestEnv;
let app: Express;
let alice: string;
let bob: string;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  alice = (await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'], name: 'alice' })).auth;
  bob = (await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'], name: 'bob' })).auth;
});
afterAll(async () => {
  await env.close();
});

const valid = {
  agent_name: 'booking-assistant',
  webhook_url: 'https://agent.example.com/hooks',
  events: ['booking.*', 'payment.received'],
};
const create = (auth: string, body: Record<string, unknown> = valid) =>
  request(app).post(base).set('Authorization', auth).send(body);

describe('webhook subscriptions CRUD', () => {
  it('creates a subscription, shows the secret once, and stores secrets encrypted', async () => {
    const res = await create(alice, {
      ...valid,
      api_key: 'agent-bearer-123',
      headers: { 'X-Tenant': 'acme' },
      retry_schedule: ['5s', 60000],
    });
    expect(res.status).toBe(201);
    const sub = res.body.data;
    expect(sub).toMatchObject({
      agent_name: 'booking-assistant',
      events: ['booking.*', 'payment.received'],
      has_api_key: true,
      timeout_ms: 15000,
      retry_schedule: [5000, 60000],
      max_retries: null,
      is_active: true,
      headers: { 'X-Tenant': 'acme' },
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(sub).not.toHaveProperty('api_key');
    const row = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: sub.id } });
    expect(row.secretEncrypted).not.toContain(sub.secret.slice(6, 20));
    expect(row.apiKeyEncrypted).not.toContain('agent-bearer-123');
    const got = await request(app).get(`${base}/${sub.id}`).set('Authorization', alice);
    expect(got.status).toBe(200);
    expect(got.body.data).not.toHaveProperty('secret');
    expect(got.body.data.id).toBe(sub.id);
  });

  it('keeps a caller-supplied secret and refuses a weak one', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const ok = await create(alice, { ...valid, secret });
    expect(ok.status).toBe(201);
    expect(ok.body.data.secret).toBe(secret);
    for (const bad of ['whsec_c2hvcnQ=', 'not-a-secret', 'whsec_***']) {
      const res = await create(alice, { ...valid, secret: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('secret');
    }
  });

  it('pages with a cursor and filters by is_active', async () => {
    const agent = (await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'], name: 'pager' })).auth;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(agent, { ...valid, is_active: i % 2 === 0 })).body.data.id);
    const first = await request(app).get(`${base}?limit=2`).set('Authorization', agent);
    expect(first.body.data.items.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 2));
    const second = await request(app)
      .get(`${base}?limit=2&cursor=${first.body.data.next_cursor}`)
      .set('Authorization', agent);
    const third = await request(app)
      .get(`${base}?limit=2&cursor=${second.body.data.next_cursor}`)
      .set('Authorization', agent);
    expect([...second.body.data.items, ...third.body.data.items].map((s: { id: string }) => s.id)).toEqual(
      ids.slice(2),
    );
    expect(third.body.data.next_cursor).toBeNull();
    const inactive = await request(app).get(`${base}?is_active=false`).set('Authorization', agent);
    expect(inactive.body.data.items.map((s: { id: string }) => s.id)).toEqual([ids[1], ids[3]]);
    expect((await request(app).get(`${base}?limit=0`).set('Authorization', agent)).status).toBe(400);
    expect((await request(app).get(`${base}?limit=101`).set('Authorization', agent)).status).toBe(400);
  });

  it('PATCH changes only given fields; PUT resets omitted ones to defaults', async () => {
    const id = (await create(alice, { ...valid, timeout_ms: 5000, headers: { 'X-A': '1' }, max_retries: 3 })).body.data
      .id;
    const patched = await request(app)
      .patch(`${base}/${id}`)
      .set('Authorization', alice)
      .send({ events: ['booking.created'], retry_schedule: ['1s'] });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      events: ['booking.created'],
      timeout_ms: 5000,
      headers: { 'X-A': '1' },
      max_retries: null,
      retry_schedule: [1000],
    });
    const put = await request(app)
      .put(`${base}/${id}`)
      .set('Authorization', alice)
      .send({ ...valid, agent_name: 'renamed' });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      agent_name: 'renamed',
      timeout_ms: 15000,
      headers: {},
      max_retries: null,
      retry_schedule: null,
      has_api_key: false,
    });
    const missing = await request(app).put(`${base}/${id}`).set('Authorization', alice).send({ agent_name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(['events']);
    // A push subscription's URL is checked against its delivery mode, once the body's shape is right.
    const noUrl = await request(app)
      .put(`${base}/${id}`)
      .set('Authorization', alice)
      .send({ agent_name: 'x', events: ['booking.created'] });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.details.map((d: { field: string }) => d.field)).toEqual(['webhook_url']);
  });

  it('enable (and is_active: true) re-activates an auto-disabled subscription and resets failures', async () => {
    const id = (await create(alice)).body.data.id;
    const disable = () =>
      env.ctx.db.webhookSubscription.update({
        where: { id },
        data: { isActive: false, failedAttempts: 5, disabledReason: 'too many failures', disabledAt: new Date() },
      });
    await disable();
    const enabled = await request(app).post(`${base}/${id}/enable`).set('Authorization', alice);
    expect(enabled.body.data).toMatchObject({
      is_active: true,
      failed_attempts: 0,
      disabled_reason: null,
      disabled_at: null,
    });
    await disable();
    const patched = await request(app).patch(`${base}/${id}`).set('Authorization', alice).send({ is_active: true });
    expect(patched.body.data).toMatchObject({ is_active: true, failed_attempts: 0, disabled_reason: null });
  });

  it('rotates the secret: the old one signs beside the new one until the overlap ends', async () => {
    const created = (await create(alice)).body.data;
    const res = await request(app).post(`${base}/${created.id}/rotate-secret`).set('Authorization', alice);
    expect(res.status).toBe(200);
    expect(res.body.data.secret).not.toBe(created.secret);
    const expiresAt = new Date(res.body.data.previous_secret_expires_at);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(env.config.SECRET_ROTATION_OVERLAP - 60_000);
    const row = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: created.id } });
    expect(subscriptionSigningSecrets(env.ctx, row)).toEqual([res.body.data.secret, created.secret]);
    expect(subscriptionSigningSecrets(env.ctx, row, new Date(expiresAt.getTime() + 1))).toEqual([res.body.data.secret]);
  });

  it('DELETE hides the subscription and cancels its pending deliveries', async () => {
    const id = (await create(alice)).body.data.id;
    const event = await env.ctx.db.event.create({ data: { id: newId('event'), type: 'booking.created', data: {} } });
    const other = await env.ctx.db.event.create({ data: { id: newId('event'), type: 'booking.updated', data: {} } });
    await env.ctx.db.delivery.create({
      data: {
        id: newId('delivery'),
        eventId: event.id,
        subscriptionId: id,
        status: 'pending',
        nextAttemptAt: new Date(),
      },
    });
    await env.ctx.db.delivery.create({
      data: { id: newId('delivery'), eventId: other.id, subscriptionId: id, status: 'succeeded' },
    });
    const res = await request(app).delete(`${base}/${id}`).set('Authorization', alice);
    expect(res.body.data).toEqual({ id, deleted: true, cancelled_deliveries: 1 });
    const rows = await env.ctx.db.delivery.findMany({ where: { subscriptionId: id }, orderBy: { eventId: 'asc' } });
    expect(rows.map((d) => [d.status, d.cancelledReason])).toEqual([
      ['cancelled', 'subscription deleted'],
      ['succeeded', null],
    ]);
    expect((await request(app).get(`${base}/${id}`).set('Authorization', alice)).status).toBe(404);
    expect((await request(app).delete(`${base}/${id}`).set('Authorization', alice)).status).toBe(404);
    const list = await request(app).get(`${base}?limit=100`).set('Authorization', alice);
    expect(list.body.data.items.map((s: { id: string }) => s.id)).not.toContain(id);
  });
});

describe('isolation between agents', () => {
  it("answers 404 for another agent's subscription on every route and changes nothing", async () => {
    const id = (await create(alice)).body.data.id;
    const before = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id } });
    const calls = [
      request(app).get(`${base}/${id}`),
      request(app).put(`${base}/${id}`).send(valid),
      request(app).patch(`${base}/${id}`).send({ agent_name: 'stolen' }),
      request(app).post(`${base}/${id}/enable`),
      request(app).post(`${base}/${id}/rotate-secret`),
      request(app).delete(`${base}/${id}`),
      request(app).post('/api/v1/external/webhooks/test').send({ subscription_id: id }),
    ];
    for (const call of calls) {
      const res = await call.set('Authorization', bob);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const list = await request(app).get(base).set('Authorization', bob);
    expect(list.body.data.items.map((s: { id: string }) => s.id)).not.toContain(id);
    expect(await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });
});
