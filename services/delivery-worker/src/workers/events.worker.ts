import { fanOutEvents } from '@bellhop/domain';
import { createWorker } from '@bellhop/queue';
import { jobContext } from './job-context';
import type { WorkerStarter } from './worker-types';

/** `events` queue: fan recorded events out to deliveries and their hosts' live streams. */
export const startEventsWorker: WorkerStarter = (ctx, connection) => {
  const worker = createWorker(
    { connection, config: ctx.config },
    'events',
    (job) => fanOutEvents(jobContext(ctx, job), job.data.eventIds),
    { concurrency: ctx.config.WORKER_CONCURRENCY },
  );
  worker.on('failed', (job, error) =>
    ctx.logger.warn('fan-out failed; the sweeper retries it', {
      jobId: job?.id,
      eventIds: job?.data.eventIds,
      error: error.message,
    }),
  );
  worker.on('error', (error) => ctx.logger.warn('events worker error', { error: error.message }));
  return worker;
};
