import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('redisScript', () => {
  it('sends the source when Redis does not hold the script yet, then runs it by hash', async () => {
    const script = redisScript(`return {KEYS[1], ARGV[1], '${randomUUID()}'}`);
    const calls: string[] = [];
    const redis = (env.ctx.redis as Redis).duplicate();
    try {
      if (redis.status !== 'ready') await once(redis, 'ready');
      for (const name of ['evalsha', 'eval'] as const) {
        const real = redis[name].bind(redis) as (...args: unknown[]) => Promise<unknown>;
        Object.assign(redis, {
          [name]: (...args: unknown[]) => {
            calls.push(name);
            return real(...args);
          },
        });
      }
      expect(((await script(redis, ['k'], [7])) as string[]).slice(0, 2)).toEqual(['k', '7']);
      expect(((await script(redis, ['k'], [8])) as string[]).slice(0, 2)).toEqual(['k', '8']);
      expect(calls).toEqual(['evalsha', 'eval', 'evalsha']);
    } finally {
      redis.disconnect();
    }
  });
});
