import type { Queue } from 'bullmq';
import type { DomainContext } from '../context';
import { fanOutJob } from '../events/record-event';
import { sweepHeldDeliveries } from './booking-order';
import { admitDueDeliveries } from './enqueue-delivery';
import { liveJobIds } from './live-job';

const BATCH = 500;
/**
 * Events younger than this are still in their recording request's own enqueue (which gives up
 * after 2 s), so an event is at most this much older than the job that carries it.
 */
const EVENT_GRACE_MS = 5_000;

/**
 * When the oldest fan-out job still waiting or running was enqueued (ms), or null when none is.
 * A job carries the events its batch committed and is named after the first one, so only an
 * event older than that by the grace is surely in no live job.
 */
async function oldestLiveJobAt(queue: Queue): Promise<number | null> {
  const [active, oldestWaiting] = await Promise.all([queue.getActive(), queue.getJobs(['wait'], 0, 0, true)]);
  const times = [...active, ...oldestWaiting].map((job) => job.timestamp);
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * Re-enqueues fan-out for committed events that never got fanned out (crash or Redis outage),
 * one job per event, so the next sweep finds each one's job. Only events older than every live
 * fan-out job (by the grace) are looked at: a worker restarting behind a backlog of batched jobs
 * would otherwise enqueue each of their events again. Fanning out twice is harmless all the
 * same, as every step is idempotent.
 */
export async function sweepUnfannedEvents(ctx: DomainContext, now = new Date()): Promise<number> {
  const oldestLive = await oldestLiveJobAt(ctx.queues.events);
  const cutoff = Math.min(now.getTime(), oldestLive ?? Infinity) - EVENT_GRACE_MS;
  const events = await ctx.db.event.findMany({
    where: { fannedOutAt: null, createdAt: { lte: new Date(cutoff) } },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  const live = await liveJobIds(
    ctx.queues.events,
    events.map((event) => event.id),
  );
  const missing = events.filter((event) => !live.has(event.id));
  await ctx.queues.events.addBulk(missing.map((event) => fanOutJob({ eventIds: [event.id] })));
  return missing.length;
}

/**
 * Re-admits due pending deliveries whose job is gone (e.g. Redis was wiped); live jobs are left
 * alone, and a delivery already waiting in its endpoint's lane keeps its place, unless the
 * endpoint has a free slot and no lane (its lanes stopped with a worker): then it starts one.
 * Deliveries paused by an open circuit breaker are left alone (its probes and its closing admit them).
 * Held deliveries (ordered per booking) are not due; their chains are checked again, so a head
 * whose release was lost goes out (see booking-order).
 */
export async function sweepDueDeliveries(ctx: DomainContext, now = new Date()): Promise<number> {
  let enqueued = 0;
  let cursor: string | undefined;
  for (;;) {
    const due = await ctx.db.delivery.findMany({
      where: {
        status: 'pending',
        nextAttemptAt: { lte: now },
        pausedAt: null,
        ...(cursor ? { id: { gt: cursor } } : {}),
      },
      select: { id: true, attempts: true, subscription: { select: { webhookUrl: true } } },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    enqueued += await admitDueDeliveries(
      ctx,
      // Pull deliveries are never due (no next_attempt_at); a URL-less row is left alone all the same.
      due.flatMap(({ id, attempts, subscription: { webhookUrl } }) =>
        webhookUrl ? [{ id, attempts, webhookUrl }] : [],
      ),
    );
    if (due.length < BATCH) break;
    cursor = due[due.length - 1].id;
  }
  const released = await sweepHeldDeliveries(ctx);
  if (released > 0) ctx.logger.info('sweeper released held deliveries whose turn had come', { count: released });
  enqueued += released;
  if (enqueued > 0) ctx.logger.info('sweeper re-enqueued due deliveries', { count: enqueued });
  return enqueued;
}
