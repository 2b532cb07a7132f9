import { jobTrace, processInboundReceipt } from '@bellhop/domain';
import { createWorker } from '@bellhop/queue';
import type { WorkerStarter } from './worker-types';

/**
 * `inbound` queue: normalise one stored channel webhook into bookings and events. Each job holds a
 * database connection for its transaction, so more jobs than the pool has connections would only wait.
 */
export const startInboundWorker: WorkerStarter = (ctx, connection) => {
  const worker = createWorker(
    { connection, config: ctx.config },
    'inbound',
    async (job) => {
      const receipt = await processInboundReceipt(ctx, job.data.receiptId, {
        requestId: job.data.requestId,
        trace: jobTrace(job.data),
      });
      return { status: receipt.status };
    },
    { concurrency: Math.min(ctx.config.WORKER_CONCURRENCY, ctx.config.DATABASE_POOL_SIZE) },
  );
  worker.on('failed', (job, error) =>
    ctx.logger.warn('inbound job failed; BullMQ retries it, then the sweeper', {
      receiptId: job?.data.receiptId,
      attempt: job?.attemptsMade,
      error: error.message,
    }),
  );
  worker.on('error', (error) => ctx.logger.warn('inbound worker error', { error: error.message }));
  return worker;
};
