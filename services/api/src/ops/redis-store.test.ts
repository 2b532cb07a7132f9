import type { Options } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { ResilientRedisStore } from './redis-store';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('rate-limit store on a fail-fast connection', () => {
  it('holds commands until the first connect, with one listener however many are waiting, and counts them all', async () => {
    const redis = new Redis(env.config.REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    try {
      const store = new ResilientRedisStore(redis, `${env.config.QUEUE_PREFIX}:store-test:${Date.now()}:`);
      const initialised = store.init({ windowMs: 60_000 } as Options);
      const hits = Promise.all(Array.from({ length: 20 }, () => store.increment('caller')));
      expect(redis.listenerCount('ready')).toBe(1);
      await redis.connect();
      await initialised;
      expect((await hits).map((hit) => hit.totalHits).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    } finally {
      redis.disconnect();
    }
  });
});
