import type { Redis } from 'ioredis';
import type { Config } from '@bellhop/config';
import { createDatabase } from '@bellhop/db';
import type { Logger } from '@bellhop/logger';
import { createQueue, createRedis } from '@bellhop/queue';
import { createSecretBox } from '@bellhop/auth';
import { createTracing } from '@bellhop/tracing';
import type { DomainContext } from './context';

/** Connects everything a domain call needs. Producers fail fast when Redis is down. */
export function createDomainContext(config: Config, logger: Logger): DomainContext {
  // Not auto-pipelined: BullMQ batches its own writes (addBulk is one MULTI), and each automatic
  // pipeline on this connection would copy all of BullMQ's scripts.
  const queueRedis = createRedis(config.REDIS_URL, 'producer', { enableAutoPipelining: false });
  const ctx = { connection: queueRedis, prefix: config.QUEUE_PREFIX };
  const queues = { events: createQueue(ctx, 'events'), deliveries: createQueue(ctx, 'deliveries'), inbound: createQueue(ctx, 'inbound'), recoveries: createQueue(ctx, 'recoveries') };
  // An outage is reported by /readyz and by the call that fails; one line per queue error is enough.
  for (const queue of Object.values(queues)) queue.on('error', (error) => logger.warn('queue connection error', { queue: queue.name, error: error.message }));
  const { db, sql } = createDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, (error) => logger.warn('idle database connection lost', { error: error.message }));
  return {
    config,
    logger,
    // Spans are named after the logger's service (api, delivery-worker…).
    tracing: createTracing({ otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: `bellhop-${String(logger.defaultMeta?.service ?? 'process')}` }),
    db,
    sql,
    secrets: createSecretBox(config.SECRETS_KEY),
    redis: createRedis(config.REDIS_URL, 'producer'),
    queueRedis,
    queues,
  };
}

/** QUIT when Redis answers; a connection that never got through is dropped, which also ends its reconnect loop. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}

export async function closeDomainContext(ctx: DomainContext): Promise<void> {
  await Promise.allSettled(Object.values(ctx.queues).map((q) => q.close()));
  await Promise.allSettled([ctx.db.$disconnect(), closeRedis(ctx.redis), closeRedis(ctx.queueRedis)]);
  await ctx.sql.end().catch(() => undefined);
  await ctx.tracing.shutdown().catch(() => undefined); // last, so spans of the work above are sent
}
