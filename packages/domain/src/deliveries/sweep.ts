import { QUEUES } from '@bellhop/queue';
import type { DomainContext } from '../context';
import { enqueueDelivery } from './enqueue-delivery';
import { hasLiveJob } from './live-job';

const BATCH = 500;
/** Events younger than this are still in their recording request's own enqueue. */
const EVENT_GRACE_MS = 5_000;

/** Re-enqueues fan-out for committed events that never got fanned out (crash or Redis outage). */
export async function sweepUnfannedEvents(ctx: DomainContext, now = new Date()): Promise<number> {
  const events = await ctx.db.event.findMany({
    where: { fannedOutAt: null, createdAt: { lte: new Date(now.getTime() - EVENT_GRACE_MS) } },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  let enqueued = 0;
  for (const event of events) {
    if (await hasLiveJob(ctx.queues.events, event.id)) continue;
    await ctx.queues.events.add(QUEUES.events.jobName, { eventId: event.id }, { jobId: event.id });
    enqueued += 1;
  }
  return enqueued;
}

/** Re-enqueues due pending deliveries whose job is gone (e.g. Redis was wiped); live jobs are left alone. */
export async function sweepDueDeliveries(ctx: DomainContext, now = new Date()): Promise<number> {
  let enqueued = 0;
  let cursor: string | undefined;
  for (;;) {
    const due = await ctx.db.delivery.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: now }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, attempts: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    for (const delivery of due) if (await enqueueDelivery(ctx, delivery)) enqueued += 1;
    if (due.length < BATCH) break;
    cursor = due[due.length - 1].id;
  }
  if (enqueued > 0) ctx.logger.info('sweeper re-enqueued due deliveries', { count: enqueued });
  return enqueued;
}
