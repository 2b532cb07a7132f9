import type { Queue } from 'bullmq';
import type { Config } from '@bellhop/config';
import type { Db, SqlPool } from '@bellhop/db';
import type { Logger } from '@bellhop/logger';
import type { JobPayload } from '@bellhop/queue';
import type { SecretBox } from '@bellhop/auth';
import type { Redis } from 'ioredis';

/** What domain functions need, built once per process by its main.ts (or by a test). */
export interface DomainContext {
  config: Config;
  db: Db;
  /** Prisma's own pg pool, for hot paths written as one SQL statement. */
  sql: SqlPool;
  logger: Logger;
  secrets: SecretBox;
  /** Fail-fast Redis connection for publishing (realtime bus) from request paths. */
  redis: Redis;
  queues: {
    events: Queue<JobPayload<'events'>>;
    deliveries: Queue<JobPayload<'deliveries'>>;
    inbound: Queue<JobPayload<'inbound'>>;
  };
}
