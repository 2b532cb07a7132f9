import { isCluster, type RedisClient } from '@bellhop/queue';
import type { Cluster } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Options } from 'express-rate-limit';

const STARTING = ['wait', 'connecting', 'connect'];
const firstConnects = new WeakMap<RedisClient, Promise<void>>();

// The fail-fast connection rejects commands until it is ready; wait out the first connect only
// (at most 2 s), with one listener however many requests are waiting.
function firstConnect(redis: RedisClient): Promise<void> {
  if (!STARTING.includes(redis.status)) return Promise.resolve();
  let waiting = firstConnects.get(redis);
  if (!waiting) {
    waiting = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, 2000);
      redis.once('ready', done).once('error', done);
    }).finally(() => firstConnects.delete(redis));
    firstConnects.set(redis, waiting);
  }
  return waiting;
}

// On a cluster the limiter's EVALSHA goes to the node of its key: every master needs the script.
async function loadOnEveryMaster(cluster: Cluster, args: string[]): Promise<RedisReply> {
  const shas = await Promise.all(
    cluster.nodes('master').map((node) => node.call('SCRIPT', ...args) as Promise<RedisReply>),
  );
  if (shas.length === 0) throw new Error('no Redis Cluster master known');
  return shas[0];
}

/**
 * A RedisStore that survives a Redis outage: a failed script load is retried on the next
 * failed request instead of leaving the limiter failed open forever. Its script is loaded on
 * every master of a Redis Cluster.
 */
export class ResilientRedisStore extends RedisStore {
  private limiterOptions?: Options;

  constructor(redis: RedisClient, prefix: string) {
    super({
      prefix,
      sendCommand: async (command: string, ...args: string[]) => {
        await firstConnect(redis);
        if (command === 'SCRIPT' && isCluster(redis)) return loadOnEveryMaster(redis, args);
        return redis.call(command, ...args) as Promise<RedisReply>;
      },
    });
  }

  override async init(options: Options): Promise<void> {
    this.limiterOptions = options;
    await super.init(options).catch(() => undefined);
  }

  override async increment(key: string): ReturnType<RedisStore['increment']> {
    try {
      return await super.increment(key);
    } catch (error) {
      if (this.limiterOptions) void this.init(this.limiterOptions);
      throw error;
    }
  }
}
