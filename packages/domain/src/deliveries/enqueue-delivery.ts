import type { Queue } from 'bullmq';
import { deliveryShardOf, QUEUES, type JobPayload } from '@bellhop/queue';
import type { DomainContext } from '../context';
import { admitDeliveries, endpointOf } from './endpoint-lanes';
import { hasLiveJob, liveJobIds } from './live-job';

/** One job id per (delivery, attempt number; BullMQ forbids `:` in ids), so re-enqueueing the same attempt is a no-op. */
export function deliveryJobId(deliveryId: string, attempts: number): string {
  return attempts === 0 ? deliveryId : `${deliveryId}-${attempts}`;
}

/** The job for a delivery's next attempt, as `Queue.add` and `Queue.addBulk` take it. */
export function deliveryJob(
  delivery: { id: string; attempts: number },
  delayMs = 0,
  requestId?: string | null,
  jobId = deliveryJobId(delivery.id, delivery.attempts),
) {
  return {
    name: QUEUES.deliveries.jobName,
    data: { deliveryId: delivery.id, ...(requestId ? { requestId } : {}) },
    // A finished delivery job is removed at once: Postgres holds every attempt, and a job that left
    // its delivery waiting in a lane must not keep the same job id from being added again.
    opts: { jobId, delay: Math.max(0, delayMs), removeOnComplete: true },
  };
}

/** The delivery queue (shard) of a webhook URL's endpoint: one endpoint's jobs are always in the same one. */
export function deliveryQueueOf(ctx: DomainContext, webhookUrl: string): Queue<JobPayload<'deliveries'>> {
  return ctx.queues.deliveries[deliveryShardOf(endpointOf(webhookUrl), ctx.queues.deliveries.length)];
}

/**
 * Enqueues the next attempt of a delivery unless a live job already holds it (a finished job
 * with the same id, e.g. one that failed before recording, is replaced so nothing is stuck).
 * The job takes its endpoint's lane when it starts (see endpoint-lanes), so single deliveries
 * (a retry, a manual retry, a test) need no admission here.
 */
export async function enqueueDelivery(
  ctx: DomainContext,
  delivery: { id: string; attempts: number; webhookUrl: string },
  delayMs = 0,
  requestId?: string | null,
): Promise<boolean> {
  const job = deliveryJob(delivery, delayMs, requestId);
  const queue = deliveryQueueOf(ctx, delivery.webhookUrl);
  if (await hasLiveJob(queue, job.opts.jobId)) return false;
  await queue.add(job.name, job.data, job.opts);
  return true;
}

/** `jobId` replaces the usual one (see deliveryJobId) when the delivery's own job may be running still. */
export interface DueDelivery {
  id: string;
  attempts: number;
  webhookUrl: string;
  requestId?: string | null;
  jobId?: string;
}

/**
 * Admits deliveries due now, many at once (a fan-out, a sweep, a recovery): each gets a job only
 * while its endpoint has a free slot, the rest wait in the endpoint's lane (one script call for
 * the batch), so a busy endpoint's backlog never sits in the shared queue. One a lane is sending
 * or that waits already is left as it is. Jobs are added with one addBulk per delivery queue,
 * replacing a finished one of the same id. Returns how many were handed on (a new job, or a new
 * place in a lane).
 */
export async function admitDueDeliveries(ctx: DomainContext, deliveries: DueDelivery[]): Promise<number> {
  const jobs = deliveries.map((delivery) => deliveryJob(delivery, 0, delivery.requestId, delivery.jobId));
  const admitted = await admitDeliveries(
    ctx,
    deliveries.map((delivery, i) => ({
      deliveryId: delivery.id,
      laneId: jobs[i].opts.jobId,
      endpoint: endpointOf(delivery.webhookUrl),
    })),
  );
  const lanesByQueue = new Map<Queue<JobPayload<'deliveries'>>, typeof jobs>();
  deliveries.forEach((delivery, i) => {
    if (admitted[i] !== 'lane') return;
    const queue = deliveryQueueOf(ctx, delivery.webhookUrl);
    const lanes = lanesByQueue.get(queue);
    if (lanes) lanes.push(jobs[i]);
    else lanesByQueue.set(queue, [jobs[i]]);
  });
  const added = await Promise.all(
    [...lanesByQueue].map(async ([queue, lanes]) => {
      const live = await liveJobIds(
        queue,
        lanes.map((job) => job.opts.jobId),
      );
      const toAdd = lanes.filter((job) => !live.has(job.opts.jobId));
      if (toAdd.length > 0) await queue.addBulk(toAdd);
      return toAdd.length;
    }),
  );
  return added.reduce((sum, count) => sum + count, 0) + admitted.filter((a) => a === 'waits').length;
}
