import request from 'supertest';
import { QUEUE_NAMES } from '@bellhop/queue';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('worker /metrics', () => {
  it('serves Prometheus metrics with the depth of every queue', async () => {
    await env.ctx.queues.deliveries[0].add(
      'deliver',
      { deliveryId: 'dlv_metrics' },
      { jobId: 'dlv_metrics', delay: 60_000 },
    );
    const res = await request(createApp({ ctx: env.ctx }))
      .get('/metrics')
      .expect(200)
      .expect('Content-Type', /text\/plain/);
    expect(res.text).toContain('bellhop_queue_jobs{queue="deliveries",state="delayed"} 1');
    for (const queue of QUEUE_NAMES) expect(res.text).toContain(`bellhop_queue_jobs{queue="${queue}",state="failed"}`);
    expect(res.text).toContain('# TYPE bellhop_deliveries_total counter');
  });

  it("reads the queues over the queues' connection, keeping BullMQ's scripts off the busy one", async () => {
    await request(createApp({ ctx: env.ctx }))
      .get('/metrics')
      .expect(200);
    expect(Object.keys(env.ctx.queueRedis.scriptsSet).length).toBeGreaterThan(0);
    expect(env.ctx.redis.scriptsSet).toEqual({});
  });
});
