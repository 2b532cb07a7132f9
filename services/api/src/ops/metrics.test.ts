import request from 'supertest';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { QUEUE_NAMES } from '@bellhop/queue';
import { recordEvent } from '@bellhop/domain';
import { createApp } from '../app';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('API /metrics', () => {
  it('reports the depth of every queue from Redis', async () => {
    await env.ctx.queues.events.add('events', { eventIds: ['evt_metrics'] }, { jobId: 'evt_metrics', delay: 60_000 });
    const res = await request(createApp({ ctx: env.ctx }))
      .get('/metrics')
      .expect(200);
    expect(res.text).toContain('bellhop_queue_jobs{queue="events",state="delayed"} 1');
    for (const queue of QUEUE_NAMES) expect(res.text).toContain(`bellhop_queue_jobs{queue="${queue}",state="waiting"}`);
  });

  it('counts recorded events by type', async () => {
    await recordEvent(env.ctx, { type: 'property.updated', data: { property_id: 'prp_metrics' } });
    const res = await request(createApp({ ctx: env.ctx }))
      .get('/metrics')
      .expect(200);
    expect(res.text).toMatch(/bellhop_events_recorded_total\{type="property\.updated"\} [1-9]/);
  });
});
