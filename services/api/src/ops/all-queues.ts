import type { Queue } from 'bullmq';
import type { DomainContext } from '@bellhop/domain';
import { createQueue, QUEUES, type QueueKey } from '@bellhop/queue';

/** Every queue in QUEUES, reusing the context's producers and their Redis connection for the rest. */
export function allQueues(ctx: DomainContext): Queue[] {
  const known: Partial<Record<QueueKey, Queue>> = ctx.queues;
  return (Object.keys(QUEUES) as QueueKey[]).map((key) => known[key] ?? extraQueue(ctx, key));
}

function extraQueue(ctx: DomainContext, key: QueueKey): Queue {
  const queue: Queue = createQueue({ connection: ctx.queueRedis, prefix: ctx.config.QUEUE_PREFIX }, key);
  queue.on('error', (error) => ctx.logger.warn('queue connection error', { queue: queue.name, error: error.message }));
  // Closed together with the queues' connection (closeDomainContext quits it).
  ctx.queueRedis.once('end', () => void queue.close());
  return queue;
}
