import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { once } from 'node:events';
import { admitDeliveries, endpointOf, nextInLane, releaseLane } from './endpoint-lanes';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ ENDPOINT_MAX_IN_FLIGHT: '2' });
  if (env.ctx.redis.status !== 'ready') await once(env.ctx.redis, 'ready');
});
afterAll(async () => { await env.close(); });

const admit = (endpoint: string, ids: string[]) => admitDeliveries(env.ctx, ids.map((id) => ({ deliveryId: id, laneId: `job-${id}`, endpoint })));
const next = (endpoint: string, laneId: string) => nextInLane(env.ctx, { endpoint, laneId }, async (id) => id);

describe('endpoint lanes', () => {
  it('admit as many deliveries as the endpoint has slots; the rest wait, oldest first, for a lane', async () => {
    const endpoint = endpointOf('https://busy.example/hooks/bellhop');
    expect(endpoint).toBe('https://busy.example');
    expect(await admit(endpoint, ['d1', 'd2', 'd3', 'd4'])).toEqual(['lane', 'lane', 'waits', 'waits']);
    // Idempotent: a lane keeps its slot, a waiting delivery its place; another endpoint is not held back.
    expect(await admit(endpoint, ['d1', 'd3'])).toEqual(['lane', 'already waiting']);
    expect(await admit('https://quiet.example', ['q1'])).toEqual(['lane']);
    expect(await next(endpoint, 'job-d1')).toBe('d3');
    expect(await next(endpoint, 'job-d2')).toBe('d4');
    expect(await next(endpoint, 'job-d1')).toBeNull();
    // d1's lane gave its slot back, d2's still holds one: one slot is free again.
    expect(await admit(endpoint, ['d5', 'd6'])).toEqual(['lane', 'waits']);
  });

  it('give a free slot to a waiting delivery whose lanes are gone (a stopped worker), and skip ids whose row is gone', async () => {
    const endpoint = 'https://stopped.example';
    expect(await admit(endpoint, ['s1', 's2', 's3', 's4', 's5'])).toEqual(['lane', 'lane', 'waits', 'waits', 'waits']);
    await releaseLane(env.ctx, { endpoint, laneId: 'job-s1' });
    await releaseLane(env.ctx, { endpoint, laneId: 'job-s2' });
    expect(await admit(endpoint, ['s4'])).toEqual(['lane']);
    const missing = new Set(['s3']);
    expect(await nextInLane(env.ctx, { endpoint, laneId: 'job-s4' }, async (id) => (missing.has(id) ? null : id))).toBe('s5');
  });

  it('keep the cap after a lane lost its lease: it continues only while a slot is free', async () => {
    const endpoint = 'https://expired.example';
    await admit(endpoint, ['e1', 'e2', 'e3']);
    const [slots] = [`${env.config.QUEUE_PREFIX}:endpoint:${endpoint}:slots`];
    await env.ctx.redis.zadd(slots, Date.now() - 1, 'job-e1'); // e1's lease ran out (a long pause)
    expect(await admit(endpoint, ['e4'])).toEqual(['lane']); // its slot went to another
    expect(await next(endpoint, 'job-e1')).toBeNull(); // both slots taken: the expired lane stops
    expect(await env.ctx.redis.zcard(`${env.config.QUEUE_PREFIX}:endpoint:${endpoint}:waiting`)).toBe(1);
  });
});
