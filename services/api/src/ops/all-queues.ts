import type { Queue } from 'bullmq';
import type { DomainContext } from '@bellhop/domain';
import { createQueue, QUEUES, type QueueKey } from '@bellhop/queue';

/** Every queue in QUEUES (each delivery shard), reusing the context's producers and their Redis connection for the rest. */
export function allQueues(ctx: DomainContext): Queue[] {
  const known: Partial<Record<QueueKey, Queue | Queue[]>> = ctx.queues;
  return (Object.keys(QUEUES) as QueueKey[]).flatMap((key) => known[key] ?? extraQueue(ctx, key));
}

function extraQueue(ctx: DomainContext, key: QueueKey): Queue {
  const queue: Queue = createQueue({ connection: ctx.queueRedis, config: ctx.config }, key);
  queue.on('error', (error) => ctx.logger.warn('queue connection error', { queue: queue.name, error: error.message }));
  // Closed together with the queues' connection (closeDomainContext quits it).
  ctx.queueRedis.once('end', () => void queue.close());
  return queue;
}
