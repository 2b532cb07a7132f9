import { runDeliveryJob } from '@bellhop/domain';
import { createWorker, deliveryQueueNames } from '@bellhop/queue';
import { createAxiosTransport, type TransportOptions } from '../delivery/axios-transport';
import { jobContext } from './job-context';
import type { WorkerStarter } from './worker-types';

/** Longer than the largest subscription timeout (30 s) plus margin, so a slow send is never run twice. */
const LOCK_DURATION_MS = 45_000;

/**
 * The delivery queues (`deliveries`, and `deliveries-1`… with DELIVERY_QUEUE_SHARDS > 1), each
 * with WORKER_CONCURRENCY jobs at once. Each job is a lane of its delivery's endpoint, sending
 * it and then the endpoint's waiting deliveries; a job whose endpoint has no free slot leaves its delivery
 * waiting, without an attempt. Closing stops the lanes after their current request.
 */
export function deliveriesWorker(transportOptions?: Partial<TransportOptions>): WorkerStarter {
  return (ctx, connection) => {
    const transport = createAxiosTransport({
      allowPrivateTargets: ctx.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      ...transportOptions,
    });
    let stopping = false;
    const workers = deliveryQueueNames(ctx.config.DELIVERY_QUEUE_SHARDS).map((name) => {
      const worker = createWorker(
        { connection, config: ctx.config },
        'deliveries',
        (job) =>
          runDeliveryJob(
            jobContext(ctx, job),
            { deliveryId: job.data.deliveryId, laneId: job.id ?? job.data.deliveryId },
            transport,
            () => stopping,
          ),
        { concurrency: ctx.config.WORKER_CONCURRENCY, lockDuration: LOCK_DURATION_MS },
        name,
      );
      worker.on('failed', (job, error) =>
        ctx.logger.warn('delivery job failed; the sweeper retries it', {
          queue: name,
          jobId: job?.id,
          deliveryId: job?.data.deliveryId,
          error: error.message,
        }),
      );
      worker.on('error', (error) => ctx.logger.warn('deliveries worker error', { queue: name, error: error.message }));
      return worker;
    });
    return {
      close: async () => {
        stopping = true;
        await Promise.all(workers.map((worker) => worker.close()));
        transport.close();
      },
    };
  };
}

export const startDeliveriesWorker = deliveriesWorker();
