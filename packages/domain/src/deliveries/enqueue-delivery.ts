import { QUEUES } from '@bellhop/queue';
import type { DomainContext } from '../context';
import { hasLiveJob, liveJobIds } from './live-job';

/** One job id per (delivery, attempt number; BullMQ forbids `:` in ids), so re-enqueueing the same attempt is a no-op. */
export function deliveryJobId(deliveryId: string, attempts: number): string {
  return attempts === 0 ? deliveryId : `${deliveryId}-${attempts}`;
}

/** The job for a delivery's next attempt, as `Queue.add` and `Queue.addBulk` take it. */
export function deliveryJob(delivery: { id: string; attempts: number }, delayMs = 0, requestId?: string | null) {
  return {
    name: QUEUES.deliveries.jobName,
    data: { deliveryId: delivery.id, ...(requestId ? { requestId } : {}) },
    opts: { jobId: deliveryJobId(delivery.id, delivery.attempts), delay: Math.max(0, delayMs) },
  };
}

/**
 * Enqueues the next attempt of a delivery unless a live job already holds it (a finished job
 * with the same id, e.g. one that failed before recording, is replaced so nothing is stuck).
 */
export async function enqueueDelivery(ctx: DomainContext, delivery: { id: string; attempts: number }, delayMs = 0, requestId?: string): Promise<boolean> {
  const job = deliveryJob(delivery, delayMs, requestId);
  if (await hasLiveJob(ctx.queues.deliveries, job.opts.jobId)) return false;
  await ctx.queues.deliveries.add(job.name, job.data, job.opts);
  return true;
}

/** Enqueues the next attempt of each delivery that no live job holds (one read per job, one addBulk); returns how many were added. */
export async function enqueueDeliveries(ctx: DomainContext, deliveries: { id: string; attempts: number }[]): Promise<number> {
  const jobIds = deliveries.map((delivery) => deliveryJobId(delivery.id, delivery.attempts));
  const live = await liveJobIds(ctx.queues.deliveries, jobIds);
  const missing = deliveries.filter((_, i) => !live.has(jobIds[i]));
  if (missing.length > 0) await ctx.queues.deliveries.addBulk(missing.map((delivery) => deliveryJob(delivery)));
  return missing.length;
}
