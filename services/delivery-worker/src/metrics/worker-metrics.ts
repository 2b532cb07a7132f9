import type { Router } from 'express';
import type { DomainContext } from '@bellhop/domain';
import { metricsRoute, observeQueues } from '@bellhop/metrics';
import { createQueue } from '@bellhop/queue';

/** /metrics for the worker, including the depth of every queue (maintenance shares the queues' connection). */
export function workerMetrics(ctx: DomainContext): Router {
  const maintenance = createQueue({ connection: ctx.queueRedis, config: ctx.config }, 'maintenance');
  maintenance.on('error', (error) =>
    ctx.logger.warn('queue connection error', { queue: maintenance.name, error: error.message }),
  );
  ctx.queueRedis.once('end', () => void maintenance.close());
  const queues = [...Object.values(ctx.queues).flat(), maintenance];
  observeQueues(() => queues);
  return metricsRoute();
}
