import type { DomainContext } from '@bellhop/domain';
import type { RedisClient } from '@bellhop/queue';

export interface Closable {
  close(): Promise<void>;
}

/** Starts one queue consumer on the process's worker connection (maxRetriesPerRequest: null). */
export type WorkerStarter = (ctx: DomainContext, connection: RedisClient) => Promise<Closable> | Closable;
