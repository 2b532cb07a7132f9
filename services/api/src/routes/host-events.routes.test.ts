import request from 'supertest';
import type { Express } from 'express';
import { busKeys } from '@bellhop/realtime-bus';
import { adminAuth, createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createRedis } from '@bellhop/queue';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
});
afterAll(async () => {
  await env.close();
});

const send = (hostId: string) => `/api/v1/hosts/${hostId}/events/send`;

describe('POST /api/v1/hosts/:hostId/events/send', () => {
  it('appends the event to the host stream for the host itself or the admin', async () => {
    const host = await createHostWithToken(env.ctx);
    const own = await request(app)
      .post(send(host.hostId))
      .set('Authorization', host.auth)
      .send({ data: { note: 'hi' } })
      .expect(202);
    expect(own.body.data).toEqual({ id: expect.stringMatching(/^\d+-\d+$/), event: 'custom' });
    await request(app)
      .post(send(host.hostId))
      .set('Authorization', adminAuth(env.ctx))
      .send({ event: 'cleaning_done', data: { unit: 4 } })
      .expect(202);
    const entries = await env.ctx.redis.xrange(busKeys(env.config.QUEUE_PREFIX).hostStream(host.hostId), '-', '+');
    expect(entries.map(([, f]) => [f[1], JSON.parse(f[3])])).toEqual([
      ['custom', { note: 'hi' }],
      ['cleaning_done', { unit: 4 }],
    ]);
    expect(entries[0][0]).toBe(own.body.data.id);
  });

  it('refuses other hosts and agents, bad event names, and unknown hosts', async () => {
    const [host, other] = [await createHostWithToken(env.ctx), await createHostWithToken(env.ctx)];
    await request(app).post(send(host.hostId)).set('Authorization', other.auth).send({ data: {} }).expect(403);
    await request(app)
      .post(send(host.hostId))
      .set('Authorization', (await createAgentKey(env.ctx)).auth)
      .send({ data: {} })
      .expect(403);
    await request(app).post(send(host.hostId)).send({ data: {} }).expect(401);
    const bad = await request(app)
      .post(send(host.hostId))
      .set('Authorization', host.auth)
      .send({ event: 'Not-OK', data: 1 })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['event', 'data']);
    const noData = await request(app).post(send(host.hostId)).set('Authorization', host.auth).send({}).expect(400);
    expect(noData.body.error.details.map((d: { field: string }) => d.field)).toEqual(['data']);
    await request(app)
      .post(send('hst_missing'))
      .set('Authorization', adminAuth(env.ctx))
      .send({ data: {} })
      .expect(404);
  });
});

describe('POST /api/v1/admin/announcements', () => {
  it('broadcasts to every realtime process for the admin only', async () => {
    const subscriber = createRedis(env.config, 'subscriber');
    const heard: any[] = [];
    try {
      subscriber.on('message', (_channel: string, raw: string) => heard.push(JSON.parse(raw)));
      await subscriber.subscribe(busKeys(env.config.QUEUE_PREFIX).broadcastChannel);
      const res = await request(app)
        .post('/api/v1/admin/announcements')
        .set('Authorization', adminAuth(env.ctx))
        .send({ title: 'Maintenance', message: 'Tonight 02:00 UTC' })
        .expect(202);
      expect(res.body.data).toEqual({ id: expect.any(String), sent_at: expect.any(String) });
      await new Promise((r) => setTimeout(r, 100));
      expect(heard).toEqual([
        expect.objectContaining({
          event: 'system_announcement',
          data: expect.objectContaining({ title: 'Maintenance', level: 'info' }),
        }),
      ]);
      const host = await createHostWithToken(env.ctx);
      await request(app)
        .post('/api/v1/admin/announcements')
        .set('Authorization', host.auth)
        .send({ title: 't', message: 'm' })
        .expect(403);
      const bad = await request(app)
        .post('/api/v1/admin/announcements')
        .set('Authorization', adminAuth(env.ctx))
        .send({ message: 'm', level: 'loud' })
        .expect(400);
      expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['level', 'title']);
    } finally {
      await subscriber.quit();
    }
  });
});
