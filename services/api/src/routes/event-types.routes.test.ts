import type { Express } from 'express';
import request from 'supertest';
import { DEFAULT_EVENT_TYPES } from '@bellhop/events';
import { syncDefaultEventTypes } from '@bellhop/domain';
import { adminAuth, createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
let agent: string;
let admin: string;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  agent = (await createAgentKey(env.ctx)).auth;
  admin = adminAuth(env.ctx);
});
afterAll(async () => {
  await env.close();
});

const catalog = '/api/v1/external/event-types';
const names = (res: request.Response) => res.body.data.items.map((t: { name: string }) => t.name);

describe('event types', () => {
  it('lists the default catalog, with descriptions and schemas, to any authenticated caller', async () => {
    const res = await request(app).get(catalog).set('Authorization', agent);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(expect.arrayContaining(DEFAULT_EVENT_TYPES.map((t) => t.name)));
    expect(res.body.data.items.find((t: { name: string }) => t.name === 'booking.created')).toMatchObject({
      description: expect.any(String),
      schema: { type: 'object' },
      archived: false,
    });
    const host = await createHostWithToken(env.ctx);
    expect((await request(app).get(catalog).set('Authorization', host.auth)).status).toBe(200);
    expect((await request(app).get(catalog)).status).toBe(401);
  });

  it('lets an admin add a type that agents can then subscribe to and record', async () => {
    const created = await request(app)
      .post('/api/v1/admin/event-types')
      .set('Authorization', admin)
      .send({
        name: 'staff.shift_swapped',
        description: 'Two staff members swapped shifts',
        schema: { type: 'object' },
      });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: 'staff.shift_swapped', archived: false });
    const again = await request(app)
      .post('/api/v1/admin/event-types')
      .set('Authorization', admin)
      .send({ name: 'staff.shift_swapped', description: 'dup' });
    expect(again.status).toBe(409);
    const sub = await request(app)
      .post('/api/v1/external/webhook-subscriptions')
      .set('Authorization', agent)
      .send({ agent_name: 'a', webhook_url: 'https://127.0.0.1/h', events: ['staff.shift_swapped'] });
    expect(sub.status).toBe(201);
    const event = await request(app)
      .post('/api/v1/external/events')
      .set('Authorization', agent)
      .send({ type: 'staff.shift_swapped', data: {} });
    expect(event.status).toBe(202);
  });

  it('archives a type: hidden from the catalog, no new subscriptions or events; sync never revives it', async () => {
    const archived = await request(app)
      .patch('/api/v1/admin/event-types/location.rejected')
      .set('Authorization', admin)
      .send({ archived: true, description: 'Edited by admin' });
    expect(archived.body.data).toMatchObject({ archived: true, description: 'Edited by admin' });
    await syncDefaultEventTypes(env.ctx.db);
    expect(names(await request(app).get(catalog).set('Authorization', agent))).not.toContain('location.rejected');
    const all = await request(app).get(`${catalog}?include_archived=true`).set('Authorization', agent);
    expect(all.body.data.items.find((t: { name: string }) => t.name === 'location.rejected')).toMatchObject({
      archived: true,
      description: 'Edited by admin',
    });
    const sub = await request(app)
      .post('/api/v1/external/webhook-subscriptions')
      .set('Authorization', agent)
      .send({ agent_name: 'a', webhook_url: 'https://127.0.0.1/h', events: ['location.rejected'] });
    expect(sub.status).toBe(400);
    expect(
      (
        await request(app)
          .post('/api/v1/external/events')
          .set('Authorization', agent)
          .send({ type: 'location.rejected', data: {} })
      ).status,
    ).toBe(400);
    const restored = await request(app)
      .patch('/api/v1/admin/event-types/location.rejected')
      .set('Authorization', admin)
      .send({ archived: false });
    expect(restored.body.data.archived).toBe(false);
  });

  it('validates admin input and answers 404 for an unknown type', async () => {
    for (const name of ['Booking.Created', 'nodot', 'booking.', '1abc.def']) {
      const res = await request(app)
        .post('/api/v1/admin/event-types')
        .set('Authorization', admin)
        .send({ name, description: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('name');
    }
    expect(
      (
        await request(app)
          .patch('/api/v1/admin/event-types/nope.nothing')
          .set('Authorization', admin)
          .send({ archived: true })
      ).status,
    ).toBe(404);
  });

  it('keeps the namespaces Bellhop emits (subscription.*, webhook.*) out of admin hands, and marks their types reserved', async () => {
    for (const name of ['subscription.hijacked', 'webhook.fake']) {
      const res = await request(app)
        .post('/api/v1/admin/event-types')
        .set('Authorization', admin)
        .send({ name, description: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'reserved_event_type',
        details: [expect.objectContaining({ field: 'name' })],
      });
    }
    const archive = await request(app)
      .patch('/api/v1/admin/event-types/webhook.test')
      .set('Authorization', admin)
      .send({ archived: true });
    expect(archive.body.error.code).toBe('reserved_event_type');
    const items: { name: string; reserved: boolean }[] = (await request(app).get(catalog).set('Authorization', agent))
      .body.data.items;
    expect(
      items
        .filter((t) => t.reserved)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['subscription.disabled', 'subscription.recovered', 'subscription.unhealthy', 'webhook.test']);
  });

  it('keeps admin routes to the admin: 401 without credentials, 403 for an agent', async () => {
    const body = { name: 'org.thing_done', description: 'x' };
    expect((await request(app).post('/api/v1/admin/event-types').send(body)).status).toBe(401);
    expect((await request(app).post('/api/v1/admin/event-types').set('Authorization', agent).send(body)).status).toBe(
      403,
    );
    expect(
      (
        await request(app)
          .patch('/api/v1/admin/event-types/booking.created')
          .set('Authorization', agent)
          .send({ archived: true })
      ).status,
    ).toBe(403);
  });
});
