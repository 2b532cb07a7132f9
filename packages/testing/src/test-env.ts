import { randomBytes } from 'node:crypto';
import { parseConfig, type Config } from '@bellhop/config';
import { cloneDatabase, dropDatabase } from '@bellhop/db';
import { closeDomainContext, createDomainContext, type DomainContext } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import type { Redis } from 'ioredis';
import { clusterKeyBase, createRedis, isCluster, type RedisTarget } from '@bellhop/queue';

export interface TestEnv {
  config: Config;
  ctx: DomainContext;
  /** Env variables for a child process that should share this test's database and prefix. */
  processEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Name prefix of per-file test databases; the run id lets leftovers of crashed runs be found. */
export const TEST_DB_PREFIX = 'bellhop_t_';

/**
 * A database of its own (cloned from the migrated template in DATABASE_URL) and a queue
 * prefix of its own, so test files run in parallel without seeing each other's work.
 */
export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const suffix = `${process.env.TEST_RUN_ID ?? 'adhoc'}_${randomBytes(4).toString('hex')}`;
  const templateUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bellhop_test';
  const databaseUrl = await cloneDatabase(templateUrl, `${TEST_DB_PREFIX}${suffix}`);
  const processEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `{bellhop-test-${suffix}}`,
    ...overrides,
  };
  const config = parseConfig(processEnv);
  const ctx = createDomainContext(config, createLogger('test', config.LOG_LEVEL));
  return {
    config,
    ctx,
    processEnv,
    async close() {
      await closeDomainContext(ctx);
      await deleteKeys(config, config.QUEUE_PREFIX);
      await dropDatabase(databaseUrl);
    },
  };
}

/**
 * Removes every Redis key under a prefix (queues, streams, rate-limit buckets). On a Redis
 * Cluster (target with REDIS_CLUSTER_NODES) that is the keys of that layout (see redisKeys) on
 * every master.
 */
export async function deleteKeys(target: RedisTarget, prefix: string): Promise<void> {
  const redis = createRedis(target, 'worker', { maxRetriesPerRequest: 1 });
  try {
    if (!isCluster(redis)) return await deleteMatching(redis, [prefix]);
    await new Promise((resolve) => redis.once('ready', resolve));
    const base = clusterKeyBase(prefix);
    await Promise.all(redis.nodes('master').map((node) => deleteMatching(node, [`${base}:`, `{${base}:`])));
  } finally {
    redis.disconnect();
  }
}

/** SCAN and UNLINK on one server, key by key (keys of different slots cannot share an UNLINK on a cluster node). */
export async function deleteMatching(redis: Redis, starts: string[]): Promise<void> {
  for (const start of starts) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${start.replace(/[[\]*?\\]/g, '\\$&')}*`, 'COUNT', 1000);
      if (keys.length) await Promise.all(keys.map((key) => redis.unlink(key)));
      cursor = next;
    } while (cursor !== '0');
  }
}
