import { fanOutEvent } from '@bellhop/domain';
import { createWorker } from '@bellhop/queue';
import { jobContext } from './job-context';
import type { WorkerStarter } from './worker-types';

/** `events` queue: fan each recorded event out to deliveries and the host's live stream. */
export const startEventsWorker: WorkerStarter = (ctx, connection) => {
  const worker = createWorker({ connection, prefix: ctx.config.QUEUE_PREFIX }, 'events', (job) => fanOutEvent(jobContext(ctx, job), job.data.eventId), { concurrency: ctx.config.WORKER_CONCURRENCY });
  worker.on('failed', (job, error) => ctx.logger.warn('fan-out failed; the sweeper retries it', { jobId: job?.id, eventId: job?.data.eventId, error: error.message }));
  worker.on('error', (error) => ctx.logger.warn('events worker error', { error: error.message }));
  return worker;
};
