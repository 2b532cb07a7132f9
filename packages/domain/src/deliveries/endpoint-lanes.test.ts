import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { once } from 'node:events';
import {
  admitDeliveries,
  endpointOf,
  forgetSent,
  LANE_LEASE_MS,
  releaseLane,
  renewLane,
  takeWaiting,
} from './endpoint-lanes';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ ENDPOINT_MAX_IN_FLIGHT: '2' });
  if (env.ctx.redis.status !== 'ready') await once(env.ctx.redis, 'ready');
});
afterAll(async () => {
  await env.close();
});

const admit = (endpoint: string, ids: string[]) =>
  admitDeliveries(
    env.ctx,
    ids.map((id) => ({ deliveryId: id, laneId: `job-${id}`, endpoint })),
  );
const take = (endpoint: string, laneId: string, count = 1, done = true, finished: string[] = []) =>
  takeWaiting(env.ctx, { endpoint, laneId }, count, done, finished);
const key = (endpoint: string, set: string) => `${env.config.QUEUE_PREFIX}:endpoint:${endpoint}:${set}`;

describe('endpoint lanes', () => {
  it('admit as many deliveries as the endpoint has slots; the rest wait, oldest first, for a lane', async () => {
    const endpoint = endpointOf('https://busy.example/hooks/bellhop');
    expect(endpoint).toBe('https://busy.example');
    expect(await admit(endpoint, ['d1', 'd2', 'd3', 'd4', 'd5'])).toEqual(['lane', 'lane', 'waits', 'waits', 'waits']);
    // Idempotent: a lane keeps its slot, a waiting delivery its place; another endpoint is not held back.
    expect(await admit(endpoint, ['d1', 'd3'])).toEqual(['lane', 'unchanged']);
    expect(await admit('https://quiet.example', ['q1'])).toEqual(['lane']);
    expect(await take(endpoint, 'job-d1', 2)).toEqual(['d3', 'd4']);
    // What a lane took is being sent: a sweep does not admit it again.
    expect(await admit(endpoint, ['d3'])).toEqual(['unchanged']);
    expect(await take(endpoint, 'job-d2', 2)).toEqual(['d5']);
    expect(await take(endpoint, 'job-d1', 1, true, ['d1', 'd3', 'd4'])).toEqual([]);
    // d1's lane gave its slot back, d2's still holds one: one slot is free again.
    expect(await admit(endpoint, ['d6', 'd7'])).toEqual(['lane', 'waits']);
    expect(await env.ctx.redis.zrange(key(endpoint, 'sending'), '0', '-1')).toEqual(['d2', 'd5', 'd6']);
  });

  it('keep the slot of a lane still sending when nothing waits; give it back once done', async () => {
    const endpoint = 'https://ahead.example';
    await admit(endpoint, ['a1', 'a2']);
    expect(await take(endpoint, 'job-a1', 10, false)).toEqual([]);
    expect(await admit(endpoint, ['a3'])).toEqual(['waits']);
    expect(await take(endpoint, 'job-a1', 10, true)).toEqual(['a3']);
    expect(await take(endpoint, 'job-a1', 10, true, ['a1', 'a3'])).toEqual([]);
    expect(await admit(endpoint, ['a4'])).toEqual(['lane']);
  });

  it('let a stopping lane give back its slot and what it took but did not send, first in line; a free slot goes to a waiting delivery', async () => {
    const endpoint = 'https://stopped.example';
    expect(await admit(endpoint, ['s1', 's2', 's3', 's4', 's5'])).toEqual(['lane', 'lane', 'waits', 'waits', 'waits']);
    expect(await take(endpoint, 'job-s1', 2)).toEqual(['s3', 's4']);
    await releaseLane(env.ctx, { endpoint, laneId: 'job-s1' }, ['s4']);
    await releaseLane(env.ctx, { endpoint, laneId: 'job-s2' }, []);
    expect(await env.ctx.redis.zrange(key(endpoint, 'waiting'), '0', '-1')).toEqual(['s4', 's5']);
    // Both lanes gone: the sweep's admission starts one for a waiting delivery.
    expect(await admit(endpoint, ['s5'])).toEqual(['lane']);
    await forgetSent(env.ctx, { endpoint, laneId: 'job-s5' }, ['s3']);
    expect(await env.ctx.redis.zrange(key(endpoint, 'sending'), '0', '-1')).toEqual(['s1', 's2', 's5']);
  });

  it('keep the cap after a lane lost its lease: it goes on only while a slot is free', async () => {
    const endpoint = 'https://expired.example';
    await admit(endpoint, ['e1', 'e2', 'e3']);
    await env.ctx.redis.zadd(key(endpoint, 'slots'), Date.now() - 1, 'job-e1'); // e1's lease ran out (a long pause)
    expect(await admit(endpoint, ['e4'])).toEqual(['lane']); // its slot went to another
    expect(await take(endpoint, 'job-e1')).toEqual([]); // both slots taken: the expired lane stops
    expect(await env.ctx.redis.zcard(key(endpoint, 'waiting'))).toBe(1);
  });

  it('renew a running lane: its slot and what it holds stay leased, however long its sends take', async () => {
    const endpoint = 'https://slow-sends.example';
    await admit(endpoint, ['r1', 'r2', 'r3', 'r4']);
    expect(await take(endpoint, 'job-r1', 2, false)).toEqual(['r3', 'r4']);
    const soon = Date.now() + 1000;
    for (const [set, member] of [
      ['slots', 'job-r1'],
      ['sending', 'r1'],
      ['sending', 'r3'],
      ['sending', 'r4'],
    ])
      await env.ctx.redis.zadd(key(endpoint, set), soon, member);
    await renewLane(env.ctx, { endpoint, laneId: 'job-r1' }, ['r1', 'r3', 'r4', 'r9']);
    for (const [set, member] of [
      ['slots', 'job-r1'],
      ['sending', 'r3'],
    ]) {
      expect(Number(await env.ctx.redis.zscore(key(endpoint, set), member))).toBeGreaterThan(
        Date.now() + LANE_LEASE_MS - 5_000,
      );
    }
    // Only what it still holds: a finished id is not brought back.
    expect(await env.ctx.redis.zscore(key(endpoint, 'sending'), 'r9')).toBeNull();
  });
});
