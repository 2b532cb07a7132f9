import request from 'supertest';
import { adminAuth, createTestEnv, eventually, type TestEnv } from '@bellhop/testing';
import { createRedis, createWorker, QUEUE_NAMES } from '@bellhop/queue';
import { createApp } from '../app';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('Bull Board at /admin/queues', () => {
  it('answers 401 JSON without the admin token', async () => {
    const res = await request(createApp({ ctx: env.ctx }))
      .get('/admin/queues')
      .expect(401);
    expect(res.body).toMatchObject({ success: false, error: { code: 'unauthorized' } });
    await request(createApp({ ctx: env.ctx }))
      .get('/admin/queues/api/queues')
      .set('Authorization', 'Bearer bh_nope')
      .expect(401);
  });

  it('renders the board and lists every queue for the admin', async () => {
    const app = createApp({ ctx: env.ctx });
    const page = await request(app).get('/admin/queues').set('Authorization', adminAuth(env.ctx)).expect(200);
    expect(page.text).toContain('<html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    await request(app).get(`/admin/queues/${script}`).set('Authorization', adminAuth(env.ctx)).expect(200);
    const api = await request(app).get('/admin/queues/api/queues').set('Authorization', adminAuth(env.ctx)).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
  });

  it('retries a failed job but refuses every other write', async () => {
    const app = createApp({ ctx: env.ctx });
    const admin = adminAuth(env.ctx);
    await env.ctx.queues.inbound.add('inbound', { receiptId: 'rcp_bullboard' }, { jobId: 'rcp_bullboard' });
    const connection = createRedis(env.config, 'worker');
    const worker = createWorker({ connection, config: env.config }, 'inbound', async () => {
      throw new Error('boom');
    });
    await eventually(
      async () => expect(await env.ctx.queues.inbound.getJobState('rcp_bullboard')).toBe('failed'),
      5000,
    );
    await worker.close();
    await connection.quit();
    await request(app).put('/admin/queues/api/queues/inbound/pause').set('Authorization', admin).expect(403);
    await request(app).put('/admin/queues/api/queues/inbound/clean/failed').set('Authorization', admin).expect(403);
    await request(app).put('/admin/queues/api/queues/inbound/empty').set('Authorization', admin).expect(403);
    expect(await env.ctx.queues.inbound.getJobState('rcp_bullboard')).toBe('failed');
    await request(app)
      .put('/admin/queues/api/queues/inbound/rcp_bullboard/retry')
      .set('Authorization', admin)
      .expect(204);
    expect(await env.ctx.queues.inbound.getJobState('rcp_bullboard')).toBe('waiting');
    // A job that is not failed (here: waiting again) cannot be retried through the board.
    await request(app)
      .put('/admin/queues/api/queues/inbound/rcp_bullboard/retry')
      .set('Authorization', admin)
      .expect(403);
    await request(app).put('/admin/queues/api/queues/inbound/retry/failed').set('Authorization', admin).expect(200);
  });
});
