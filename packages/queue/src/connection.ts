import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A single Redis or a Redis Cluster: ioredis gives both the same commands. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: a URL, or the config (REDIS_CLUSTER_NODES set means a Cluster, REDIS_URL then gives credentials and TLS). */
export type RedisTarget = string | { REDIS_URL: string; REDIS_CLUSTER_NODES?: string[] };

export type RedisRole = 'worker' | 'producer' | 'subscriber';

/**
 * Workers and subscribers wait for Redis forever (BullMQ requires maxRetriesPerRequest: null).
 * Producers in request paths fail fast instead, so an API call never hangs on a Redis outage.
 */
export function createRedis(target: RedisTarget, role: RedisRole, options: RedisOptions = {}): RedisClient {
  const failFast = role === 'producer';
  const nodeOptions: RedisOptions = {
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    connectTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    // Request paths and jobs issue many small commands at once; one write per event-loop turn carries them all.
    enableAutoPipelining: role === 'producer',
    ...options,
  };
  if (typeof target === 'string') return new Redis(target, nodeOptions);
  if (!target.REDIS_CLUSTER_NODES?.length) return new Redis(target.REDIS_URL, nodeOptions);
  const { enableOfflineQueue, enableAutoPipelining, lazyConnect, retryStrategy, ...perNode } = nodeOptions;
  return new Cluster(target.REDIS_CLUSTER_NODES.map(seed), {
    enableOfflineQueue,
    enableAutoPipelining,
    lazyConnect,
    clusterRetryStrategy: retryStrategy as (times: number) => number,
    // The realtime bus uses sharded pub/sub on a cluster (SSUBSCRIBE): one subscriber connection per master.
    shardedSubscribers: role === 'subscriber',
    redisOptions: { ...perNode, ...credentialsOf(target.REDIS_URL) },
  });
}

function seed(node: string): { host: string; port: number } {
  const at = node.lastIndexOf(':');
  return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
}

/** A cluster's nodes take REDIS_URL's user, password and TLS (rediss:). */
function credentialsOf(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

export const isCluster = (redis: RedisClient): redis is Cluster => (redis as Cluster).isCluster === true;

/** Resolves when Redis answers PING (used by /readyz); on a cluster, every master must answer. */
export async function pingRedis(redis: RedisClient): Promise<void> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  if (nodes.length === 0) throw new Error('no Redis Cluster master known');
  const replies: string[] = await Promise.all(nodes.map((node) => node.ping()));
  for (const reply of replies) {
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
  }
}

/**
 * QUIT when Redis answers; a connection that never got through is dropped, which also ends its
 * reconnect loop.
 */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
