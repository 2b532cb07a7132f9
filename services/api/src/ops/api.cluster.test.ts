import request from 'supertest';
import { isCluster, QUEUE_NAMES } from '@bellhop/queue';
import {
  adminAuth,
  clusterCrossSlotErrors,
  createAgentKey,
  createClusterTestEnv,
  createHostWithToken,
  describeOnCluster,
  type TestEnv,
} from '@bellhop/testing';
import { createApp } from '../app';

describeOnCluster('Redis Cluster: the API', () => {
  let env: TestEnv;
  const keys: string[] = [];
  let ipCount = 0;
  const ip = () => `10.88.0.${++ipCount}`;

  // Scale 0.005: a partner key's general /api/v1/external limit becomes 3/min (keys 0-4); key 5 is the platform's.
  beforeAll(async () => {
    env = await createClusterTestEnv({
      RATE_LIMIT_SCALE: '0.005',
      AUTH_FAILURE_LIMIT: '2',
      DELIVERY_QUEUE_SHARDS: '3',
    });
    for (let i = 0; i < 6; i++)
      keys.push(
        (
          await createAgentKey(env.ctx, {
            name: `k${i}`,
            kind: i < 5 ? 'partner' : 'platform',
            scopes: ['events:write'],
          })
        ).auth,
      );
  });
  afterAll(async () => {
    await env.close();
  });

  it('is ready when every master answers', async () => {
    expect(isCluster(env.ctx.redis)).toBe(true);
    const ready = await request(createApp({ ctx: env.ctx }))
      .get('/readyz')
      .expect(200);
    expect(ready.body.data.dependencies).toEqual({ postgres: 'ok', redis: 'ok' });
  });

  it('records an event and hands it to the fan-out queue', async () => {
    const { hostId } = await createHostWithToken(env.ctx);
    const res = await request(createApp({ ctx: env.ctx }))
      .post('/api/v1/external/events')
      .set('Authorization', keys[5])
      .send({ type: 'booking.updated', host_id: hostId, data: { booking_id: 'bkg_1' } })
      .expect(202);
    expect(await env.ctx.queues.events.getJob(res.body.data.event_id)).toBeTruthy();
  });

  it('limits each API key on its own bucket, counted across API processes, whichever node holds its bucket', async () => {
    const [first, second] = [createApp({ ctx: env.ctx }), createApp({ ctx: env.ctx })];
    const statuses = await Promise.all(
      keys.slice(0, 5).map(async (auth) => {
        const seen = [];
        for (const app of [first, second, first, second])
          seen.push(
            (await request(app).get('/api/v1/external/hosts/hst_1/anything').set('Authorization', auth)).status,
          );
        return seen;
      }),
    );
    for (const seen of statuses) {
      expect(seen.slice(0, 3)).not.toContain(429);
      expect(seen[3]).toBe(429);
    }
  });

  it('blocks an address past AUTH_FAILURE_LIMIT failed authentications', async () => {
    const app = createApp({ ctx: env.ctx });
    const from = ip();
    for (let i = 0; i < 3; i++)
      await request(app)
        .get('/api/v1/whoami')
        .set('X-Forwarded-For', from)
        .set('Authorization', `Bearer bh_made_up_${i}_key_padding`)
        .expect(401);
    const blocked = await request(app)
      .get('/api/v1/whoami')
      .set('X-Forwarded-For', from)
      .set('Authorization', 'Bearer bh_made_up_9_key_padding')
      .expect(429);
    expect(blocked.body.error.code).toBe('too_many_failed_authentications');
    await request(app)
      .get('/api/v1/whoami')
      .set('X-Forwarded-For', ip())
      .set('Authorization', 'Bearer bh_made_up_0_key_padding')
      .expect(401);
  });

  it('shows every queue, each delivery shard too, on Bull Board', async () => {
    const api = await request(createApp({ ctx: env.ctx }))
      .get('/admin/queues/api/queues')
      .set('Authorization', adminAuth(env.ctx))
      .expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(
      [...QUEUE_NAMES, 'deliveries-1', 'deliveries-2'].sort(),
    );
  });

  it('no master answered CROSSSLOT', async () => {
    expect(await clusterCrossSlotErrors()).toBe(0);
  });
});
