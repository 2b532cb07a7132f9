import { runRecovery } from '@bellhop/domain';
import { createWorker } from '@bellhop/queue';
import { jobContext } from './job-context';
import type { WorkerStarter } from './worker-types';

/** A few recoveries at once: each is a sequence of bounded batches, and deliveries are the real work. */
const CONCURRENCY = 2;

/** `recoveries` queue: re-open a subscription's failed and cancelled deliveries, as a user asked. */
export const startRecoveriesWorker: WorkerStarter = (ctx, connection) => {
  const worker = createWorker(
    { connection, config: ctx.config },
    'recoveries',
    (job) => runRecovery(jobContext(ctx, job), job.data.recoveryId),
    { concurrency: CONCURRENCY },
  );
  worker.on('failed', (job, error) =>
    ctx.logger.warn('recovery failed; the sweeper resumes it', {
      jobId: job?.id,
      recoveryId: job?.data.recoveryId,
      error: error.message,
    }),
  );
  worker.on('error', (error) => ctx.logger.warn('recoveries worker error', { error: error.message }));
  return worker;
};
