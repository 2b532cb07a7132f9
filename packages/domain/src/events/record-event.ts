import type { Event, Prisma } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { QUEUES } from '@bellhop/queue';
import { eventsRecorded } from '@bellhop/metrics';
import type { DomainContext } from '../context';
import { notificationFromEvent } from '../notifications/event-mapping';
import { withinQueueBudget } from './queue-outage';

export type Tx = Prisma.TransactionClient;

export interface EventInput {
  type: string;
  data: Record<string, unknown>;
  hostId?: string | null;
  bookingId?: string | null;
  propertyId?: string | null;
  /** The API key that recorded it, and its Idempotency-Key. */
  sourceKeyId?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
  /** Only this owner's subscriptions receive it (e.g. subscription.disabled). */
  audienceKeyId?: string | null;
  /** Only this subscription receives it (e.g. webhook.test). */
  targetSubscriptionId?: string | null;
  requestId?: string | null;
}

/**
 * Writes the event row, and the host notification it implies, inside the caller's
 * transaction: both exist or neither does. Enqueue with `enqueueEvents` after commit.
 */
export async function insertEvent(tx: Tx, input: EventInput): Promise<Event> {
  const event = await tx.event.create({
    data: {
      id: newId('event'),
      type: input.type,
      data: input.data as Prisma.InputJsonValue,
      hostId: input.hostId ?? null,
      bookingId: input.bookingId ?? null,
      propertyId: input.propertyId ?? null,
      sourceKeyId: input.sourceKeyId ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: input.requestHash ?? null,
      audienceKeyId: input.audienceKeyId ?? null,
      targetSubscriptionId: input.targetSubscriptionId ?? null,
      requestId: input.requestId ?? null,
    },
  });
  const notification = notificationFromEvent(event);
  if (notification) await tx.hostNotification.create({ data: { id: newId('notification'), ...notification } });
  eventsRecorded.inc({ type: event.type }); // counted on write; a rolled-back transaction (rare) over-counts
  return event;
}

/**
 * Hands committed events to the fan-out queue (job id = event id, so repeats are no-ops).
 * A Redis outage is not an error here: the row is committed and the sweeper enqueues it.
 */
export async function enqueueEvents(ctx: DomainContext, eventIds: string[], requestId?: string | null): Promise<boolean> {
  if (eventIds.length === 0) return true;
  if (ctx.config.FAULT_EXIT_AFTER_EVENT_COMMIT) process.exit(86); // `npm run drill` proves the sweeper covers this gap
  try {
    await withinQueueBudget(ctx, () => ctx.queues.events.addBulk(eventIds.map((eventId) => ({
      name: QUEUES.events.jobName,
      data: { eventId, ...(requestId ? { requestId } : {}) },
      opts: { jobId: eventId },
    }))));
    return true;
  } catch (error) {
    ctx.logger.warn('events recorded but not enqueued; the sweeper will pick them up', { eventIds, requestId, error: (error as Error).message });
    return false;
  }
}

/** Records one event (and its notification) in a transaction, then enqueues it. */
export async function recordEvent(ctx: DomainContext, input: EventInput): Promise<Event> {
  const event = await ctx.db.$transaction((tx) => insertEvent(tx, input));
  await enqueueEvents(ctx, [event.id], input.requestId);
  return event;
}
