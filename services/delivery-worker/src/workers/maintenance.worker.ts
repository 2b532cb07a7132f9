import type { Queue } from 'bullmq';
import type { DomainContext } from '@bellhop/domain';
import { createQueue, createWorker, type JobPayload } from '@bellhop/queue';
import { MAINTENANCE_TASKS } from './maintenance.tasks';
import type { WorkerStarter } from './worker-types';

/** Adds any missing (or re-timed) job scheduler: one per task, shared by every worker process. */
async function ensureSchedulers(ctx: DomainContext, queue: Queue<JobPayload<'maintenance'>>): Promise<void> {
  for (const [task, { everyMs }] of Object.entries(MAINTENANCE_TASKS)) {
    const every = everyMs(ctx.config);
    if ((await queue.getJobScheduler(task))?.every === every) continue;
    await queue.upsertJobScheduler(task, { every }, { name: task, data: { task } });
  }
}

/**
 * Runs the maintenance tasks produced by BullMQ job schedulers. Each process re-checks the
 * schedulers every sweep interval, so they come back even after Redis lost every key.
 */
export const startMaintenanceWorker: WorkerStarter = async (ctx, connection) => {
  const queueCtx = { connection, config: ctx.config };
  const queue = createQueue(queueCtx, 'maintenance');
  await ensureSchedulers(ctx, queue);
  const recheck = setInterval(() => {
    ensureSchedulers(ctx, queue).catch((error) =>
      ctx.logger.warn('could not check maintenance schedulers', { error: (error as Error).message }),
    );
  }, ctx.config.SWEEP_INTERVAL);
  recheck.unref();
  const worker = createWorker(
    queueCtx,
    'maintenance',
    async (job) => {
      const task = MAINTENANCE_TASKS[job.data.task];
      if (!task) return { skipped: `unknown task ${job.data.task}` };
      return { result: await task.run(ctx) };
    },
    { concurrency: Object.keys(MAINTENANCE_TASKS).length },
  );
  worker.on('failed', (job, error) =>
    ctx.logger.warn('maintenance task failed', { jobId: job?.id, task: job?.data.task, error: error.message }),
  );
  worker.on('error', (error) => ctx.logger.warn('maintenance worker error', { error: error.message }));
  return {
    close: async () => {
      clearInterval(recheck);
      await worker.close();
      await queue.close();
    },
  };
};
