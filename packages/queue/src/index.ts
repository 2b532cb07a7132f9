export { QUEUES, QUEUE_NAMES, deliveryQueueNames, deliveryShardOf, type QueueKey, type JobPayload } from './queues';
export {
  createRedis,
  pingRedis,
  closeRedis,
  isCluster,
  type RedisClient,
  type RedisTarget,
  type RedisRole,
} from './connection';
export { redisKeys, clusterKeyBase, type RedisKeys, type KeyConfig } from './keys';
export { slotGroups, keySlot } from './slots';
export { createQueue, createWorker, DEFAULT_JOB_OPTIONS, type QueueContext } from './factory';
