import type { DomainContext } from '@bellhop/domain';
import { createRedis } from '@bellhop/queue';
import { startDeliveriesWorker } from './deliveries.worker';
import { startEventsWorker } from './events.worker';
import { startInboundWorker } from './inbound.worker';
import { startMaintenanceWorker } from './maintenance.worker';
import { startRecoveriesWorker } from './recoveries.worker';
import type { Closable, WorkerStarter } from './worker-types';

/** Every queue consumer this process runs; each gets the shared blocking-capable connection. */
const WORKERS: WorkerStarter[] = [
  startEventsWorker,
  startDeliveriesWorker,
  startMaintenanceWorker,
  startInboundWorker,
  startRecoveriesWorker,
];

/** Starts all workers; `close()` lets in-flight jobs finish, then drops the worker connection. */
export async function startWorkers(ctx: DomainContext): Promise<Closable> {
  const connection = createRedis(ctx.config, 'worker');
  const started = await Promise.all(WORKERS.map((start) => Promise.resolve(start(ctx, connection))));
  return {
    async close() {
      await Promise.allSettled(started.map((worker) => worker.close()));
      connection.disconnect();
    },
  };
}
