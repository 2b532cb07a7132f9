import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { acquireDeliverySlot, type SlotResult } from './delivery-throttle';
import { redisScript } from './redis-script';

let env: TestEnv;
// The context's connection fails fast instead of queueing commands, so wait until it is up.
const ready = async (redis: Redis) => { if (redis.status !== 'ready') await once(redis, 'ready'); };

beforeAll(async () => {
  env = await createTestEnv({ ENDPOINT_MAX_IN_FLIGHT: '3' });
  await ready(env.ctx.redis);
});
afterAll(async () => { await env.close(); });

const sub = (id: string, origin: string, rateLimitPerSecond: number | null = null) => ({ id, webhookUrl: `${origin}/hook`, rateLimitPerSecond });
const taken = (results: SlotResult[]) => results.filter((r) => r.ok) as Extract<SlotResult, { ok: true }>[];

describe('delivery slots', () => {
  it('caps concurrent requests to one endpoint across subscriptions, and frees a slot on release', async () => {
    const origin = 'https://capped.example';
    const first = await Promise.all(Array.from({ length: 5 }, (_, i) => acquireDeliverySlot(env.ctx, sub(`sub_cap${i}`, origin))));
    expect(taken(first)).toHaveLength(3);
    expect(first.filter((r) => !r.ok).map((r) => (r.ok ? 0 : r.waitMs))).toEqual([250, 250]);
    // Another endpoint is not held back by this one.
    expect((await acquireDeliverySlot(env.ctx, sub('sub_other', 'https://other.example'))).ok).toBe(true);

    await Promise.all(taken(first).slice(0, 2).map((slot) => slot.release()));
    const second = await Promise.all(Array.from({ length: 3 }, (_, i) => acquireDeliverySlot(env.ctx, sub(`sub_cap${i}`, origin))));
    expect(taken(second)).toHaveLength(2);
  });

  it('holds a subscription to its per-second rate and says how long to wait', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => acquireDeliverySlot(env.ctx, sub('sub_rate', 'https://rated.example', 2))));
    const slots = taken(results);
    expect(slots).toHaveLength(2);
    for (const r of results) if (!r.ok) expect(r.waitMs).toBeGreaterThan(0), expect(r.waitMs).toBeLessThanOrEqual(1000);
    await Promise.all(slots.map((slot) => slot.release()));
  });

  it('never counts below zero when the counters were wiped while requests were in flight', async () => {
    const origin = 'https://wiped.example';
    const slots = taken(await Promise.all(Array.from({ length: 3 }, (_, i) => acquireDeliverySlot(env.ctx, sub(`sub_wipe${i}`, origin)))));
    expect(slots).toHaveLength(3);
    const keys = await env.ctx.redis.keys(`${env.config.QUEUE_PREFIX}:endpoint-in-flight:*wiped*`);
    await env.ctx.redis.del(...keys);
    await Promise.all(slots.map((slot) => slot.release()));
    const again = await Promise.all(Array.from({ length: 4 }, (_, i) => acquireDeliverySlot(env.ctx, sub(`sub_wipe${i}`, origin))));
    expect(taken(again)).toHaveLength(3);
  });
});

describe('redisScript', () => {
  it('sends the source when Redis does not hold the script yet, then runs it by hash', async () => {
    const script = redisScript(`return {KEYS[1], ARGV[1], '${randomUUID()}'}`);
    const calls: string[] = [];
    const redis = env.ctx.redis.duplicate();
    try {
      await ready(redis);
      for (const name of ['evalsha', 'eval'] as const) {
        const real = redis[name].bind(redis) as (...args: unknown[]) => Promise<unknown>;
        Object.assign(redis, { [name]: (...args: unknown[]) => { calls.push(name); return real(...args); } });
      }
      expect((await script(redis, ['k'], [7]) as string[]).slice(0, 2)).toEqual(['k', '7']);
      expect((await script(redis, ['k'], [8]) as string[]).slice(0, 2)).toEqual(['k', '8']);
      expect(calls).toEqual(['evalsha', 'eval', 'evalsha']);
    } finally {
      redis.disconnect();
    }
  });
});
