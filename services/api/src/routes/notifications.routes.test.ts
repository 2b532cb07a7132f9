import request from 'supertest';
import type { Express } from 'express';
import { cleanupNotifications } from '@bellhop/domain';
import { newId } from '@bellhop/events';
import { createRedis } from '@bellhop/queue';
import {
  adminAuth,
  createAgentKey,
  createHostWithToken,
  createTestEnv,
  eventually,
  freePort,
  startServiceProcess,
  type TestEnv,
} from '@bellhop/testing';
import { EventSource } from 'eventsource';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
let realtime: Awaited<ReturnType<typeof startServiceProcess>>;
const path = (hostId: string, rest = '') => `/api/v1/hosts/${hostId}/notifications${rest}`;
const body = {
  type: 'guest_message',
  title: 'New guest message',
  message: 'Can we check in at 2pm?',
  priority: 'medium',
};

beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  const port = await freePort();
  realtime = await startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(port) }, port);
});
afterAll(async () => {
  await realtime.stop();
  await env.close();
});

/** The host's live stream on the realtime process, recording notification and counts events. */
function listen(hostId: string, token: string) {
  const seen: Array<{ type: string; data: any }> = [];
  const source = new EventSource(`${realtime.url}/api/v1/hosts/${hostId}/events?access_token=${token}`);
  for (const type of ['connected', 'notification', 'counts'])
    source.addEventListener(type, (e) => seen.push({ type, data: JSON.parse(e.data) }));
  const of = (type: string) => seen.filter((e) => e.type === type).map((e) => e.data);
  const waitFor = (type: string, count = 1, ms = 5000) =>
    eventually(() => {
      expect(of(type).length).toBeGreaterThanOrEqual(count);
      return of(type);
    }, ms);
  return { of, waitFor, close: () => source.close() };
}

describe('host notifications API', () => {
  it('a notification posted by an agent arrives on the host stream, with the new counts', async () => {
    const host = await createHostWithToken(env.ctx);
    const agent = await createAgentKey(env.ctx, { scopes: ['notifications:write'] });
    const stream = listen(host.hostId, host.token);
    try {
      await stream.waitFor('connected');
      const res = await request(app)
        .post(path(host.hostId))
        .set('Authorization', agent.auth)
        .send({ ...body, booking_id: 'bkg_1', action_url: 'https://app.example.test/b/1' })
        .expect(201);
      expect(res.body.data).toMatchObject({
        host_id: host.hostId,
        type: 'guest_message',
        booking_id: 'bkg_1',
        priority: 'medium',
        read: false,
        read_at: null,
        action_required: false,
      });
      const [live] = await stream.waitFor('notification', 1, 1000);
      expect(live).toEqual(res.body.data);
      expect((await stream.waitFor('counts')).at(-1)).toEqual({
        unread: 1,
        total: 1,
        by_priority: { high: 0, medium: 1, low: 0 },
      });
    } finally {
      stream.close();
    }
  });

  it('lets only agents with notifications:write and the admin create, for an existing host', async () => {
    const host = await createHostWithToken(env.ctx);
    await request(app).post(path(host.hostId)).set('Authorization', adminAuth(env.ctx)).send(body).expect(201);
    await request(app)
      .post(path(host.hostId))
      .set('Authorization', (await createAgentKey(env.ctx, { scopes: ['webhooks:read'] })).auth)
      .send(body)
      .expect(403);
    await request(app).post(path(host.hostId)).set('Authorization', host.auth).send(body).expect(403);
    await request(app).post(path(host.hostId)).send(body).expect(401);
    await request(app).post(path('hst_missing')).set('Authorization', adminAuth(env.ctx)).send(body).expect(404);
  });

  it('rejects bad input with 400 naming each field', async () => {
    const host = await createHostWithToken(env.ctx);
    const res = await request(app)
      .post(path(host.hostId))
      .set('Authorization', adminAuth(env.ctx))
      .send({
        type: 'party',
        title: 'x'.repeat(256),
        message: 'm',
        priority: 'urgent',
        action_url: 'ftp://x.test/a',
        expires_at: '2020-01-01T00:00:00Z',
      })
      .expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'action_url',
      'expires_at',
      'priority',
      'title',
      'type',
    ]);
    const list = await request(app)
      .get(path(host.hostId, '?limit=0&priority=urgent'))
      .set('Authorization', host.auth)
      .expect(400);
    expect(list.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'priority']);
  });

  it('lists newest first with filters and cursor paging, and counts update after mark-read', async () => {
    const host = await createHostWithToken(env.ctx);
    const post = (extra: object) =>
      request(app)
        .post(path(host.hostId))
        .set('Authorization', adminAuth(env.ctx))
        .send({ ...body, ...extra })
        .expect(201);
    const a = (await post({ priority: 'high', type: 'new_booking' })).body.data;
    const b = (await post({ priority: 'low' })).body.data;
    const c = (await post({ priority: 'medium' })).body.data;
    const page1 = await request(app).get(path(host.hostId, '?limit=2')).set('Authorization', host.auth).expect(200);
    expect(page1.body.data.items.map((n: { id: string }) => n.id)).toEqual([c.id, b.id]);
    const page2 = await request(app)
      .get(path(host.hostId, `?limit=2&cursor=${page1.body.data.next_cursor}`))
      .set('Authorization', host.auth)
      .expect(200);
    expect(page2.body.data).toEqual({ items: [a], next_cursor: null });
    const high = await request(app)
      .get(path(host.hostId, '?priority=high&type=new_booking'))
      .set('Authorization', host.auth)
      .expect(200);
    expect(high.body.data.items.map((n: { id: string }) => n.id)).toEqual([a.id]);

    const stream = listen(host.hostId, host.token);
    try {
      await stream.waitFor('connected');
      const read = await request(app)
        .put(path(host.hostId, `/${a.id}/read`))
        .set('Authorization', host.auth)
        .expect(200);
      expect(read.body.data).toMatchObject({ id: a.id, read: true });
      expect((await stream.waitFor('counts')).at(-1)).toEqual({
        unread: 2,
        total: 3,
        by_priority: { high: 0, medium: 1, low: 1 },
      });
      const count = await request(app).get(path(host.hostId, '/count')).set('Authorization', host.auth).expect(200);
      expect(count.body.data).toEqual({ unread: 2, total: 3, by_priority: { high: 0, medium: 1, low: 1 } });
      const unread = await request(app)
        .get(path(host.hostId, '?unread_only=true'))
        .set('Authorization', host.auth)
        .expect(200);
      expect(unread.body.data.items.map((n: { id: string }) => n.id)).toEqual([c.id, b.id]);
      await request(app)
        .put(path(host.hostId, '/read-all'))
        .set('Authorization', host.auth)
        .send({})
        .expect(200, { success: true, data: { updated: 2 } });
      expect((await stream.waitFor('counts', 2)).at(-1)).toMatchObject({ unread: 0, total: 3 });
      await request(app)
        .delete(path(host.hostId, `/${b.id}`))
        .set('Authorization', host.auth)
        .expect(200);
      expect((await stream.waitFor('counts', 3)).at(-1)).toMatchObject({ unread: 0, total: 2 });
    } finally {
      stream.close();
    }
  });

  it('keeps hosts apart on every route', async () => {
    const [mine, other] = [await createHostWithToken(env.ctx), await createHostWithToken(env.ctx)];
    const theirs = (
      await request(app).post(path(other.hostId)).set('Authorization', adminAuth(env.ctx)).send(body).expect(201)
    ).body.data;
    const agent = await createAgentKey(env.ctx);
    for (const auth of [mine.auth, agent.auth]) {
      await request(app).get(path(other.hostId)).set('Authorization', auth).expect(403);
      await request(app).get(path(other.hostId, '/count')).set('Authorization', auth).expect(403);
      await request(app).put(path(other.hostId, '/read-all')).set('Authorization', auth).send({}).expect(403);
      await request(app)
        .put(path(other.hostId, `/${theirs.id}/read`))
        .set('Authorization', auth)
        .expect(403);
      await request(app)
        .delete(path(other.hostId, `/${theirs.id}`))
        .set('Authorization', auth)
        .expect(403);
    }
    await request(app)
      .put(path(mine.hostId, `/${theirs.id}/read`))
      .set('Authorization', mine.auth)
      .expect(404);
    await request(app)
      .delete(path(mine.hostId, `/${theirs.id}`))
      .set('Authorization', mine.auth)
      .expect(404);
    const still = await request(app).get(path(other.hostId, '/count')).set('Authorization', other.auth).expect(200);
    expect(still.body.data).toMatchObject({ unread: 1, total: 1 });
  });

  it('hides expired notifications, and cleanup removes them and old read ones', async () => {
    const host = await createHostWithToken(env.ctx);
    const row = (extra: object) =>
      env.ctx.db.hostNotification.create({
        data: { id: newId('notification'), hostId: host.hostId, type: 'system', title: 't', message: 'm', ...extra },
      });
    const expired = await row({ expiresAt: new Date(Date.now() - 1000) });
    const oldRead = await row({ readAt: new Date(Date.now() - env.config.NOTIFICATION_RETENTION - 60_000) });
    const recentRead = await row({ readAt: new Date() });
    const live = await row({ expiresAt: new Date(Date.now() + 3_600_000) });
    const list = await request(app).get(path(host.hostId)).set('Authorization', host.auth).expect(200);
    expect(list.body.data.items.map((n: { id: string }) => n.id).sort()).toEqual(
      [oldRead.id, recentRead.id, live.id].sort(),
    );
    await request(app)
      .put(path(host.hostId, `/${expired.id}/read`))
      .set('Authorization', host.auth)
      .expect(404);
    expect(
      (await request(app).get(path(host.hostId, '/count')).set('Authorization', host.auth)).body.data,
    ).toMatchObject({ unread: 1, total: 3 });

    await cleanupNotifications(env.ctx);
    const left = await env.ctx.db.hostNotification.findMany({ where: { hostId: host.hostId } });
    expect(left.map((n) => n.id).sort()).toEqual([recentRead.id, live.id].sort());
  });

  it('still stores the notification when the live push fails (Redis unreachable)', async () => {
    const host = await createHostWithToken(env.ctx);
    const deadRedis = createRedis('redis://127.0.0.1:1', 'producer', { retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    try {
      const broken = createApp({ ctx: { ...env.ctx, redis: deadRedis } });
      await request(broken).post(path(host.hostId)).set('Authorization', adminAuth(env.ctx)).send(body).expect(201);
      expect(await env.ctx.db.hostNotification.count({ where: { hostId: host.hostId } })).toBe(1);
    } finally {
      deadRedis.disconnect();
    }
  });
});
