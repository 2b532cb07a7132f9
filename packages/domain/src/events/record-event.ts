import type { Event, Prisma } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { QUEUES } from '@bellhop/queue';
import { eventsRecorded } from '@bellhop/metrics';
import { batcher, batcherPerContext } from '../batching/batcher';
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

/** The full event row for an input; id and time are set here, so both write paths store the same thing. */
function eventRow(input: EventInput): Event {
  return {
    id: newId('event'),
    type: input.type,
    data: input.data as Prisma.JsonValue,
    hostId: input.hostId ?? null,
    bookingId: input.bookingId ?? null,
    propertyId: input.propertyId ?? null,
    sourceKeyId: input.sourceKeyId ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: input.requestHash ?? null,
    audienceKeyId: input.audienceKeyId ?? null,
    targetSubscriptionId: input.targetSubscriptionId ?? null,
    requestId: input.requestId ?? null,
    createdAt: new Date(),
    fannedOutAt: null,
  };
}

/**
 * Writes the event row, and the host notification it implies, inside the caller's
 * transaction: both exist or neither does. Enqueue with `enqueueEvents` after commit.
 */
export async function insertEvent(tx: Tx, input: EventInput): Promise<Event> {
  const event = eventRow(input);
  await tx.event.create({ data: { ...event, data: event.data as Prisma.InputJsonValue } });
  const notification = notificationFromEvent(event);
  if (notification) await tx.hostNotification.create({ data: { id: newId('notification'), ...notification, createdAt: event.createdAt } });
  eventsRecorded.inc({ type: event.type }); // counted on write; a rolled-back transaction (rare) over-counts
  return event;
}

/**
 * The same rows as `insertEvent` for an event that stands alone, written by one SQL statement:
 * atomic like a transaction, one round trip instead of four (the ingest hot path).
 */
export async function insertStandaloneEvent(ctx: DomainContext, input: EventInput): Promise<Event> {
  const event = eventRow(input);
  const at = event.createdAt.toISOString();
  const values = [event.id, event.type, event.hostId, event.bookingId, event.propertyId, JSON.stringify(event.data), event.sourceKeyId,
    event.idempotencyKey, event.requestHash, event.audienceKeyId, event.targetSubscriptionId, event.requestId, at];
  const insertEventSql = `INSERT INTO events (id, type, host_id, booking_id, property_id, data, source_key_id, idempotency_key, request_hash,
    audience_key_id, target_subscription_id, request_id, created_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13::timestamp)`;
  const notification = notificationFromEvent(event);
  if (!notification) {
    await ctx.sql.query({ name: 'insert-event', text: insertEventSql, values });
  } else {
    await ctx.sql.query({
      name: 'insert-event-with-notification',
      text: `WITH event AS (${insertEventSql} RETURNING id)
        INSERT INTO host_notifications (id, host_id, type, title, message, booking_id, property_id, priority, action_required, event_id, created_at)
        SELECT $14, $3, $15::"NotificationType", $16, $17, $4, $5, $18::"NotificationPriority", $19, event.id, $13::timestamp FROM event`,
      values: [...values, newId('notification'), notification.type, notification.title, notification.message, notification.priority, notification.actionRequired],
    });
  }
  eventsRecorded.inc({ type: event.type });
  return event;
}

interface EventJob { eventId: string; requestId?: string | null }

/** Concurrent requests' events go to Redis in one addBulk. */
const addEventJobs = batcherPerContext((ctx) => batcher(async (calls: EventJob[][]): Promise<void[]> => {
  await withinQueueBudget(ctx, () => ctx.queues.events.addBulk(calls.flat().map(({ eventId, requestId }) => ({
    name: QUEUES.events.jobName,
    data: { eventId, ...(requestId ? { requestId } : {}) },
    opts: { jobId: eventId },
  }))));
  return calls.map(() => undefined);
}));

/**
 * Hands committed events to the fan-out queue (job id = event id, so repeats are no-ops).
 * A Redis outage is not an error here: the row is committed and the sweeper enqueues it.
 */
export async function enqueueEvents(ctx: DomainContext, eventIds: string[], requestId?: string | null): Promise<boolean> {
  if (eventIds.length === 0) return true;
  if (ctx.config.FAULT_EXIT_AFTER_EVENT_COMMIT) process.exit(86); // `npm run drill` proves the sweeper covers this gap
  try {
    await addEventJobs(ctx)(eventIds.map((eventId) => ({ eventId, requestId })));
    return true;
  } catch (error) {
    ctx.logger.warn('events recorded but not enqueued; the sweeper will pick them up', { eventIds, requestId, error: (error as Error).message });
    return false;
  }
}

/** Records one event (and its notification) atomically, then enqueues it. */
export async function recordEvent(ctx: DomainContext, input: EventInput): Promise<Event> {
  const event = await insertStandaloneEvent(ctx, input);
  await enqueueEvents(ctx, [event.id], input.requestId);
  return event;
}
