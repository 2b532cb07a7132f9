import type { Config } from '@bellhop/config';
import { createDatabase } from '@bellhop/db';
import type { Logger } from '@bellhop/logger';
import { closeRedis, createQueue, createRedis, deliveryQueueNames } from '@bellhop/queue';
import { createSecretBox } from '@bellhop/auth';
import { createTracing } from '@bellhop/tracing';
import type { DomainContext } from './context';

/** Connects everything a domain call needs. Producers fail fast when Redis is down. */
export function createDomainContext(config: Config, logger: Logger): DomainContext {
  // Not auto-pipelined: BullMQ batches its own writes (addBulk is one MULTI), and each automatic
  // pipeline on this connection would copy all of BullMQ's scripts.
  const queueRedis = createRedis(config, 'producer', { enableAutoPipelining: false });
  const ctx = { connection: queueRedis, config };
  const queues = {
    events: createQueue(ctx, 'events'),
    deliveries: deliveryQueueNames(config.DELIVERY_QUEUE_SHARDS).map((name) => createQueue(ctx, 'deliveries', name)),
    inbound: createQueue(ctx, 'inbound'),
    recoveries: createQueue(ctx, 'recoveries'),
  };
  // An outage is reported by /readyz and by the call that fails; one line per queue error is enough.
  for (const queue of Object.values(queues).flat())
    queue.on('error', (error) => logger.warn('queue connection error', { queue: queue.name, error: error.message }));
  const { db, sql } = createDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, (error) =>
    logger.warn('idle database connection lost', { error: error.message }),
  );
  return {
    config,
    logger,
    // Spans are named after the logger's service (api, delivery-worker…).
    tracing: createTracing({
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: `bellhop-${String((logger.defaultMeta as { service?: string } | undefined)?.service ?? 'process')}`,
    }),
    db,
    sql,
    secrets: createSecretBox(config.SECRETS_KEY),
    redis: createRedis(config, 'producer'),
    queueRedis,
    queues,
  };
}

export async function closeDomainContext(ctx: DomainContext): Promise<void> {
  await Promise.allSettled(
    Object.values(ctx.queues)
      .flat()
      .map((q) => q.close()),
  );
  await Promise.allSettled([ctx.db.$disconnect(), closeRedis(ctx.redis), closeRedis(ctx.queueRedis)]);
  await ctx.sql.end().catch(() => undefined);
  await ctx.tracing.shutdown().catch(() => undefined); // last, so spans of the work above are sent
}
