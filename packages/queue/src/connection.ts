import { Redis, type RedisOptions } from 'ioredis';

/**
 * Workers and subscribers wait for Redis forever (BullMQ requires maxRetriesPerRequest: null).
 * Producers in request paths fail fast instead, so an API call never hangs on a Redis outage.
 */
export function createRedis(url: string, role: 'worker' | 'producer' | 'subscriber', options: RedisOptions = {}): Redis {
  const failFast = role === 'producer';
  return new Redis(url, {
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    connectTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    // Request paths and jobs issue many small commands at once; one write per event-loop turn carries them all.
    enableAutoPipelining: role === 'producer',
    ...options,
  });
}

/** Resolves when Redis answers PING (used by /readyz). */
export async function pingRedis(redis: Redis): Promise<void> {
  const reply: string = await redis.ping();
  if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
}
