import { Queue, Worker, type ConnectionOptions, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { QUEUES, type JobPayload, type QueueKey } from './queues';

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  // Postgres holds the history; Redis keeps only a short tail for Bull Board.
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 86400, count: 5000 },
};

export interface QueueContext { connection: ConnectionOptions; prefix: string }

export function createQueue<K extends QueueKey>(ctx: QueueContext, key: K): Queue<JobPayload<K>> {
  return new Queue<JobPayload<K>>(QUEUES[key].name, { connection: ctx.connection, prefix: ctx.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
}

export function createWorker<K extends QueueKey>(
  ctx: QueueContext,
  key: K,
  processor: Processor<JobPayload<K>>,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker<JobPayload<K>> {
  return new Worker<JobPayload<K>>(QUEUES[key].name, processor, { connection: ctx.connection, prefix: ctx.prefix, ...options });
}
