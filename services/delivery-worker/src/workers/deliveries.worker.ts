import { DelayedError } from 'bullmq';
import { runDelivery } from '@bellhop/domain';
import { createWorker } from '@bellhop/queue';
import { createAxiosTransport, type TransportOptions } from '../delivery/axios-transport';
import { jobContext } from './job-context';
import type { WorkerStarter } from './worker-types';

/** Longer than the largest subscription timeout (30 s) plus margin, so a slow send is never run twice. */
const LOCK_DURATION_MS = 45_000;

/** `deliveries` queue: one signed attempt per job; a busy endpoint puts the job back without an attempt. */
export function deliveriesWorker(transportOptions?: Partial<TransportOptions>): WorkerStarter {
  return (ctx, connection) => {
    const transport = createAxiosTransport({ allowPrivateTargets: ctx.config.WEBHOOK_ALLOW_PRIVATE_TARGETS, ...transportOptions });
    const worker = createWorker({ connection, prefix: ctx.config.QUEUE_PREFIX }, 'deliveries', async (job, token) => {
      const run = await runDelivery(jobContext(ctx, job), job.data.deliveryId, transport);
      if (run.kind !== 'throttled') return run;
      await job.moveToDelayed(Date.now() + run.waitMs, token);
      throw new DelayedError();
    }, { concurrency: ctx.config.WORKER_CONCURRENCY, lockDuration: LOCK_DURATION_MS });
    worker.on('failed', (job, error) => ctx.logger.warn('delivery job failed; the sweeper retries it', { jobId: job?.id, deliveryId: job?.data.deliveryId, error: error.message }));
    worker.on('error', (error) => ctx.logger.warn('deliveries worker error', { error: error.message }));
    return { close: async () => { await worker.close(); transport.close(); } };
  };
}

export const startDeliveriesWorker = deliveriesWorker();
