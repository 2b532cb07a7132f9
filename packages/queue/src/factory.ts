import { Queue, Worker, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import type { RedisClient } from './connection';
import { redisKeys, type KeyConfig } from './keys';
import { QUEUES, type JobPayload, type QueueKey } from './queues';

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  // Postgres holds the history; Redis keeps only a short tail for Bull Board.
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 86400, count: 5000 },
};

/** A connection and the config that places the queues' keys (see redisKeys). */
export interface QueueContext {
  connection: RedisClient;
  config: KeyConfig;
}

/** A producer of one queue; `name` picks one of a kind's queues (a delivery shard), by default the kind's own. */
export function createQueue<K extends QueueKey>(
  ctx: QueueContext,
  key: K,
  name: string = QUEUES[key].name,
): Queue<JobPayload<K>> {
  return new Queue<JobPayload<K>>(name, {
    connection: ctx.connection,
    prefix: redisKeys(ctx.config).queuePrefix(name),
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

export function createWorker<K extends QueueKey>(
  ctx: QueueContext,
  key: K,
  processor: Processor<JobPayload<K>>,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
  name: string = QUEUES[key].name,
): Worker<JobPayload<K>> {
  return new Worker<JobPayload<K>>(name, processor, {
    connection: ctx.connection,
    prefix: redisKeys(ctx.config).queuePrefix(name),
    ...options,
  });
}
