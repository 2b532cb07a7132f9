import { QUEUES } from '@bellhop/queue';
import type { DomainContext } from '../context';
import { hasLiveJob } from './live-job';

/** One job id per (delivery, attempt number; BullMQ forbids `:` in ids), so re-enqueueing the same attempt is a no-op. */
export function deliveryJobId(deliveryId: string, attempts: number): string {
  return attempts === 0 ? deliveryId : `${deliveryId}-${attempts}`;
}

/**
 * Enqueues the next attempt of a delivery unless a live job already holds it (a finished job
 * with the same id, e.g. one that failed before recording, is replaced so nothing is stuck).
 */
export async function enqueueDelivery(ctx: DomainContext, delivery: { id: string; attempts: number }, delayMs = 0, requestId?: string): Promise<boolean> {
  const jobId = deliveryJobId(delivery.id, delivery.attempts);
  if (await hasLiveJob(ctx.queues.deliveries, jobId)) return false;
  await ctx.queues.deliveries.add(QUEUES.deliveries.jobName, { deliveryId: delivery.id, ...(requestId ? { requestId } : {}) }, { jobId, delay: Math.max(0, delayMs) });
  return true;
}
