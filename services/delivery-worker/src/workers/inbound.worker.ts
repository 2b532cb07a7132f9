import { processInboundReceipt } from '@bellhop/domain';
import { createWorker } from '@bellhop/queue';
import type { WorkerStarter } from './worker-types';

/** `inbound` queue: normalise one stored channel webhook into bookings and events. */
export const startInboundWorker: WorkerStarter = (ctx, connection) => {
  const worker = createWorker({ connection, prefix: ctx.config.QUEUE_PREFIX }, 'inbound', async (job) => {
    const receipt = await processInboundReceipt(ctx, job.data.receiptId, job.data.requestId);
    return { status: receipt.status };
  }, { concurrency: ctx.config.WORKER_CONCURRENCY });
  worker.on('failed', (job, error) => ctx.logger.warn('inbound job failed; BullMQ retries it, then the sweeper', { receiptId: job?.data.receiptId, attempt: job?.attemptsMade, error: error.message }));
  worker.on('error', (error) => ctx.logger.warn('inbound worker error', { error: error.message }));
  return worker;
};
