import { createHash } from 'node:crypto';
import type { RedisClient } from '@bellhop/queue';

export type RedisScript = (redis: RedisClient, keys: string[], args: (string | number)[]) => Promise<unknown>;

/**
 * A Lua script sent by its SHA1 (EVALSHA), so Redis neither receives nor hashes the source on
 * every call; the source goes once per Redis server (again after a restart or SCRIPT FLUSH). On a
 * cluster both calls go to the node of the first key, so each master learns the script on its own.
 */
export function redisScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
