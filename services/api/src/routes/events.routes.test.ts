import type { Express } from 'express';
import request from 'supertest';
import { closeDomainContext, createApiKey, createDomainContext, revokeHostAccess } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import {
  createAgentKey,
  createHostWithToken,
  createPartnerKey,
  createTestEnv,
  freePort,
  type TestEnv,
} from '@bellhop/testing';
import { createApp } from '../app';

const path = '/api/v1/external/events';
let env: TestEnv;
let app: Express;
let agent: { agentId: string; keyId: string; auth: string };
let hostId: string;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  agent = await createAgentKey(env.ctx, { scopes: ['events:write'] });
  hostId = (await createHostWithToken(env.ctx)).hostId;
});
afterAll(async () => {
  await env.close();
});

const post = (body: unknown, key?: string) => {
  const req = request(app).post(path).set('Authorization', agent.auth);
  if (key) req.set('Idempotency-Key', key);
  return req.send(body as object);
};
const body = { type: 'booking.updated', data: { booking_id: 'bkg_1', guest_name: 'Ada' } };

describe('POST /api/v1/external/events', () => {
  it('records the event, answers 202 with its id and hands it to the fan-out queue', async () => {
    const res = await post({ ...body, host_id: hostId, booking_id: 'bkg_1', property_id: 'prop_1' });
    expect(res.status).toBe(202);
    const event = await env.ctx.db.event.findUniqueOrThrow({ where: { id: res.body.data.event_id } });
    expect(event).toMatchObject({
      type: 'booking.updated',
      hostId,
      bookingId: 'bkg_1',
      propertyId: 'prop_1',
      sourceAgentId: agent.agentId,
      sourceKeyId: agent.keyId,
      data: body.data,
    });
    expect(await env.ctx.queues.events.getJob(event.id)).toBeTruthy();
  });

  it('returns the same event for the same key and body (in any key order), 409 for a different body', async () => {
    const first = await post(body, 'order-42');
    const again = await post({ data: { guest_name: 'Ada', booking_id: 'bkg_1' }, type: 'booking.updated' }, 'order-42');
    expect(again.status).toBe(202);
    expect(again.body.data.event_id).toBe(first.body.data.event_id);
    const changed = await post({ ...body, data: { booking_id: 'bkg_2' } }, 'order-42');
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('idempotency_conflict');
    expect(await env.ctx.db.event.count({ where: { idempotencyKey: 'order-42' } })).toBe(1);
  });

  it('records once under concurrent requests with the same key', async () => {
    const replies = await Promise.all(Array.from({ length: 8 }, () => post(body, 'concurrent-1')));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(202));
    expect(new Set(replies.map((r) => r.body.data.event_id)).size).toBe(1);
    expect(await env.ctx.db.event.count({ where: { idempotencyKey: 'concurrent-1' } })).toBe(1);
  });

  it('scopes idempotency keys to the agent: its other keys share them (rotation keeps them), other agents do not', async () => {
    const other = await createAgentKey(env.ctx, { scopes: ['events:write'] });
    const mine = await post(body, 'shared-key');
    const theirs = await request(app)
      .post(path)
      .set('Authorization', other.auth)
      .set('Idempotency-Key', 'shared-key')
      .send(body);
    expect(theirs.status).toBe(202);
    expect(theirs.body.data.event_id).not.toBe(mine.body.data.event_id);
    const rotated = await createApiKey(env.ctx.db, {
      agentId: agent.agentId,
      name: 'rotated',
      scopes: ['events:write'],
    });
    const again = await request(app)
      .post(path)
      .set('Authorization', `Bearer ${rotated.token}`)
      .set('Idempotency-Key', 'shared-key')
      .send(body);
    expect(again.body.data.event_id).toBe(mine.body.data.event_id);
  });

  it('refuses the types Bellhop emits itself (subscription.*, webhook.*) for every caller, with reserved_event_type', async () => {
    const before = await env.ctx.db.event.count();
    for (const type of ['subscription.disabled', 'webhook.test']) {
      const res = await post({ type, data: { subscription_id: 'sub_someone_else' } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'reserved_event_type',
        details: [expect.objectContaining({ field: 'type' })],
      });
    }
    expect(await env.ctx.db.event.count()).toBe(before);
  });

  it('lets a partner record events only for a host that granted it: none without host_id, 404 for any other host', async () => {
    const granting = await createHostWithToken(env.ctx);
    const stranger = await createHostWithToken(env.ctx);
    const partner = await createPartnerKey(env.ctx, [granting.hostId], { scopes: ['events:write'] });
    const as = (b: object) => request(app).post(path).set('Authorization', partner.auth).send(b);
    const before = await env.ctx.db.event.count();
    const hostless = await as(body);
    expect(hostless.status).toBe(400);
    expect(hostless.body.error.details).toEqual([expect.objectContaining({ field: 'host_id' })]);
    const hidden = await as({ ...body, host_id: stranger.hostId });
    const missing = await as({ ...body, host_id: 'hst_never_existed' });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body).toEqual(missing.body);
    expect(await env.ctx.db.event.count()).toBe(before);
    expect((await as({ ...body, host_id: granting.hostId })).status).toBe(202);
    await revokeHostAccess(env.ctx, granting.hostId, partner.agentId);
    expect((await as({ ...body, host_id: granting.hostId })).status).toBe(404);
  });

  it('refuses unknown types and malformed ids with 400, unknown hosts with 404, each naming the field', async () => {
    const before = await env.ctx.db.event.count();
    const unknown = await post({ type: 'booking.teleported', data: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('GET /api/v1/external/event-types');
    const noHost = await post({ ...body, host_id: 'hst_missing' });
    expect(noHost.status).toBe(404);
    expect(noHost.body.error.details).toEqual([expect.objectContaining({ field: 'host_id' })]);
    const longId = await post({ ...body, booking_id: 'b'.repeat(65) });
    expect(longId.body.error.details).toEqual([expect.objectContaining({ field: 'booking_id' })]);
    expect((await post({ type: 'booking.updated', data: 'x' })).status).toBe(400);
    expect((await post({ type: 'booking.updated', data: { note: 'a\u0000b' } })).body.error.details[0].field).toBe(
      'data.note',
    );
    expect((await post(body, 'bad key with spaces')).status).toBe(400);
    expect(await env.ctx.db.event.count()).toBe(before);
  });

  it('requires the events:write scope', async () => {
    const reader = await createAgentKey(env.ctx, { scopes: ['webhooks:read'] });
    expect((await request(app).post(path).set('Authorization', reader.auth).send(body)).status).toBe(403);
  });

  it('answers 503 and writes nothing while PostgreSQL is unreachable', async () => {
    const before = await env.ctx.db.event.count();
    const deadDb = env.config.DATABASE_URL.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${await freePort()}`);
    const ctx = createDomainContext(
      { ...env.config, DATABASE_URL: deadDb },
      createLogger('test', env.config.LOG_LEVEL),
    );
    try {
      const res = await request(createApp({ ctx })).post(path).set('Authorization', agent.auth).send(body);
      expect(res.status).toBe(503);
      expect(await env.ctx.db.event.count()).toBe(before);
    } finally {
      await closeDomainContext(ctx);
    }
  });

  it('still accepts and stores events while Redis is unreachable', async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const ctx = createDomainContext(
      { ...env.config, REDIS_URL: deadRedis },
      createLogger('test', env.config.LOG_LEVEL),
    );
    const api = createApp({ ctx });
    ctx.queueRedis.on('error', () => undefined);
    await new Promise((refused) => ctx.queueRedis.once('error', refused)); // the queues' first connect has failed
    try {
      const res = await request(api)
        .post(path)
        .set('Authorization', agent.auth)
        .set('Idempotency-Key', 'redis-down')
        .send(body);
      expect(res.status).toBe(202);
      const event = await env.ctx.db.event.findUniqueOrThrow({ where: { id: res.body.data.event_id } });
      expect(event.fannedOutAt).toBeNull();
    } finally {
      await closeDomainContext(ctx);
    }
  });
});
