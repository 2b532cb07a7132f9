import type { Config } from '@bellhop/config';
import {
  cleanupNotifications,
  expirePendingBookings,
  probeOpenBreakers,
  purgeExpiredData,
  requeueStaleReceipts,
  sweepDueDeliveries,
  sweepRecoveries,
  sweepUnfannedEvents,
  type DomainContext,
} from '@bellhop/domain';

/** One periodic job: how often it runs and what it does (each run must be safe to repeat). */
export interface MaintenanceTask {
  everyMs: (config: Config) => number;
  run: (ctx: DomainContext) => Promise<unknown>;
}

/** Every maintenance task, by job-scheduler name; one scheduler per entry, shared by all workers. */
export const MAINTENANCE_TASKS: Record<string, MaintenanceTask> = {
  'sweep-events': { everyMs: (config) => config.SWEEP_INTERVAL, run: (ctx) => sweepUnfannedEvents(ctx) },
  'sweep-deliveries': { everyMs: (config) => config.SWEEP_INTERVAL, run: (ctx) => sweepDueDeliveries(ctx) },
  'probe-breakers': { everyMs: (config) => config.SWEEP_INTERVAL, run: (ctx) => probeOpenBreakers(ctx) },
  'expire-bookings': { everyMs: (config) => config.SWEEP_INTERVAL, run: (ctx) => expirePendingBookings(ctx) },
  'sweep-inbound': { everyMs: (config) => config.SWEEP_INTERVAL, run: (ctx) => requeueStaleReceipts(ctx) },
  'sweep-recoveries': { everyMs: (config) => config.SWEEP_INTERVAL, run: (ctx) => sweepRecoveries(ctx) },
  'cleanup-notifications': {
    everyMs: (config) => config.NOTIFICATION_CLEANUP_INTERVAL,
    run: (ctx) => cleanupNotifications(ctx),
  },
  'purge-data': { everyMs: (config) => config.DATA_PURGE_INTERVAL, run: (ctx) => purgeExpiredData(ctx) },
};
