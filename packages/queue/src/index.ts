export { QUEUES, QUEUE_NAMES, type QueueKey, type JobPayload } from './queues';
export { createRedis, pingRedis } from './connection';
export { createQueue, createWorker, DEFAULT_JOB_OPTIONS, type QueueContext } from './factory';
