import type { Queue } from 'bullmq';
import type { Config } from '@bellhop/config';
import type { Db, SqlPool } from '@bellhop/db';
import type { Logger } from '@bellhop/logger';
import type { JobPayload, RedisClient } from '@bellhop/queue';
import type { SecretBox } from '@bellhop/auth';

/** What domain functions need, built once per process by its main.ts (or by a test). */
export interface DomainContext {
  config: Config;
  db: Db;
  /** Prisma's own pg pool, for hot paths written as one SQL statement. */
  sql: SqlPool;
  logger: Logger;
  secrets: SecretBox;
  /** Fail-fast, auto-pipelined Redis connection for request paths and jobs: rate limits, the endpoint throttle, live streams. */
  redis: RedisClient;
  /**
   * The queues' own fail-fast connection. BullMQ defines its 60-odd Lua scripts on the connection
   * it is given, and ioredis copies every one of them into each pipeline it builds (36 µs a
   * pipeline instead of 3), so the busy connection above is kept free of them.
   */
  queueRedis: RedisClient;
  queues: {
    events: Queue<JobPayload<'events'>>;
    /** One per DELIVERY_QUEUE_SHARDS, by shard (see deliveryQueueOf). */
    deliveries: Queue<JobPayload<'deliveries'>>[];
    inbound: Queue<JobPayload<'inbound'>>;
    recoveries: Queue<JobPayload<'recoveries'>>;
  };
}
