import type { Event, Prisma } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { QUEUES } from '@bellhop/queue';
import { eventsRecorded } from '@bellhop/metrics';
import { formatTraceparent, newTrace, type TraceContext } from '@bellhop/tracing';
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
  /** Who recorded it (an agent and its key, or a channel connection); the idempotency key is theirs. */
  sourceAgentId?: string | null;
  sourceKeyId?: string | null;
  sourceConnectionId?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
  /** Only this agent's subscriptions receive it (e.g. subscription.disabled). */
  audienceAgentId?: string | null;
  /** Only this subscription receives it (e.g. webhook.test). */
  targetSubscriptionId?: string | null;
  requestId?: string | null;
  /** The recording span's context (the API request's); an event recorded without one starts a trace of its own. */
  trace?: TraceContext | null;
}

/** What a request hands to the events it records: its id for the logs, its span for the trace. */
export type RequestOrigin = Pick<EventInput, 'requestId' | 'trace'>;

/** The full event row for an input; id and time are set here, so both write paths store the same thing. */
function eventRow(input: EventInput): Event {
  const trace = input.trace ?? newTrace();
  return {
    id: newId('event'),
    type: input.type,
    data: input.data as Prisma.JsonValue,
    hostId: input.hostId ?? null,
    bookingId: input.bookingId ?? null,
    propertyId: input.propertyId ?? null,
    sourceAgentId: input.sourceAgentId ?? null,
    sourceKeyId: input.sourceKeyId ?? null,
    sourceConnectionId: input.sourceConnectionId ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: input.requestHash ?? null,
    audienceAgentId: input.audienceAgentId ?? null,
    targetSubscriptionId: input.targetSubscriptionId ?? null,
    requestId: input.requestId ?? null,
    traceparent: formatTraceparent(trace),
    tracestate: trace.state ?? null,
    createdAt: new Date(),
    fannedOutAt: null,
    pushClaimedAt: null,
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
  if (notification)
    await tx.hostNotification.create({
      data: { id: newId('notification'), ...notification, createdAt: event.createdAt },
    });
  eventsRecorded.inc({ type: event.type }); // counted on write; a rolled-back transaction (rare) over-counts
  return event;
}

const INSERT_EVENTS = `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::text[],
      $10::text[], $11::text[], $12::text[], $13::timestamp[], $21::text[], $22::text[], $23::text[], $24::text[])
      AS input(id, type, host_id, booking_id, property_id, data, source_key_id, idempotency_key, request_hash,
        audience_agent_id, target_subscription_id, request_id, created_at, source_agent_id, source_connection_id, traceparent, tracestate)
  ), inserted AS (
    INSERT INTO events (id, type, host_id, booking_id, property_id, data, source_key_id, idempotency_key, request_hash,
      audience_agent_id, target_subscription_id, request_id, created_at, source_agent_id, source_connection_id, traceparent, tracestate)
    SELECT * FROM input ON CONFLICT DO NOTHING RETURNING id
  ), notified AS (
    INSERT INTO host_notifications (id, host_id, type, title, message, booking_id, property_id, priority, action_required, event_id, created_at)
    SELECT n.id, event.host_id, n.type::"NotificationType", n.title, n.message, event.booking_id, event.property_id,
      n.priority::"NotificationPriority", n.action_required, event.id, event.created_at
    FROM unnest($14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::boolean[])
      AS n(id, event_id, type, title, message, priority, action_required)
    JOIN input event ON event.id = n.event_id JOIN inserted ON inserted.id = n.event_id
  )
  SELECT id FROM inserted`;

/** Thrown for an event whose idempotency key another request already used (Postgres' unique-violation code). */
const keyTaken = () =>
  Object.assign(new Error('duplicate key value violates unique constraint on (source_agent_id, idempotency_key)'), {
    code: '23505',
  });

type Written = { event: Event } | { error: unknown };

/** Writes events and their host notifications with one statement; an event whose key was taken comes back as an error. */
async function writeEvents(ctx: DomainContext, events: Event[]): Promise<Written[]> {
  const notifications = events.flatMap((event) => {
    const notification = notificationFromEvent(event);
    return notification ? [{ ...notification, id: newId('notification'), eventId: event.id }] : [];
  });
  const column = <K extends keyof Event>(key: K) => events.map((event) => event[key]);
  const { rows } = await ctx.sql.query<{ id: string }>({
    name: 'insert-events',
    text: INSERT_EVENTS,
    values: [
      column('id'),
      column('type'),
      column('hostId'),
      column('bookingId'),
      column('propertyId'),
      events.map((e) => JSON.stringify(e.data)),
      column('sourceKeyId'),
      column('idempotencyKey'),
      column('requestHash'),
      column('audienceAgentId'),
      column('targetSubscriptionId'),
      column('requestId'),
      events.map((e) => e.createdAt.toISOString()),
      notifications.map((n) => n.id),
      notifications.map((n) => n.eventId),
      notifications.map((n) => n.type),
      notifications.map((n) => n.title),
      notifications.map((n) => n.message),
      notifications.map((n) => n.priority),
      notifications.map((n) => n.actionRequired),
      column('sourceAgentId'),
      column('sourceConnectionId'),
      column('traceparent'),
      column('tracestate'),
    ],
  });
  const inserted = new Set(rows.map((row) => row.id));
  return events.map((event) => {
    if (!inserted.has(event.id)) return { error: keyTaken() };
    eventsRecorded.inc({ type: event.type });
    return { event };
  });
}

/**
 * Concurrent requests' events are written together (group commit). If the batch fails, each
 * event is written on its own, so one bad row fails only its own request.
 */
const writeEventBatch = batcherPerContext((ctx) =>
  batcher(async (events: Event[]): Promise<Written[]> => {
    try {
      return await writeEvents(ctx, events);
    } catch (error) {
      if (events.length === 1) return [{ error }];
      return Promise.all(
        events.map((event) =>
          writeEvents(ctx, [event]).then(
            ([written]) => written,
            (alone: unknown) => ({ error: alone }),
          ),
        ),
      );
    }
  }),
);

/**
 * The same rows as `insertEvent` for an event that stands alone, written atomically by one SQL
 * statement shared with concurrent requests (the ingest hot path).
 */
export async function insertStandaloneEvent(ctx: DomainContext, input: EventInput): Promise<Event> {
  const written = await writeEventBatch(ctx)(eventRow(input));
  if ('error' in written) throw written.error;
  return written.event;
}

interface EventBatch {
  eventIds: string[];
  requestId?: string | null;
}

/**
 * The fan-out job for events committed together, as `Queue.addBulk` takes it. Its id is the
 * first event's id, so adding the same events again is a no-op.
 */
export function fanOutJob({ eventIds, requestId }: EventBatch) {
  return {
    name: QUEUES.events.jobName,
    data: { eventIds, ...(requestId ? { requestId } : {}) },
    opts: { jobId: eventIds[0] },
  };
}

/**
 * Concurrent requests' events go to Redis as one fan-out job, so a group commit of N events costs
 * one job's Redis scripts, not N. The request id is kept when one request made the whole batch.
 */
const addEventJobs = batcherPerContext((ctx) =>
  batcher(async (calls: EventBatch[]): Promise<void[]> => {
    const requestId = calls.length === 1 ? calls[0].requestId : null;
    const job = fanOutJob({ eventIds: calls.flatMap((call) => call.eventIds), requestId });
    await withinQueueBudget(ctx, () => ctx.queues.events.add(job.name, job.data, job.opts));
    return calls.map(() => undefined);
  }),
);

/**
 * Hands committed events to the fan-out queue (see `fanOutJob`).
 * A Redis outage is not an error here: the row is committed and the sweeper enqueues it.
 */
export async function enqueueEvents(
  ctx: DomainContext,
  eventIds: string[],
  requestId?: string | null,
): Promise<boolean> {
  if (eventIds.length === 0) return true;
  if (ctx.config.FAULT_EXIT_AFTER_EVENT_COMMIT) process.exit(86); // `npm run drill` proves the sweeper covers this gap
  try {
    await addEventJobs(ctx)({ eventIds, requestId });
    return true;
  } catch (error) {
    ctx.logger.warn('events recorded but not enqueued; the sweeper will pick them up', {
      eventIds,
      requestId,
      error: (error as Error).message,
    });
    return false;
  }
}

/** Records one event (and its notification) atomically, then enqueues it. */
export async function recordEvent(ctx: DomainContext, input: EventInput): Promise<Event> {
  const event = await insertStandaloneEvent(ctx, input);
  await enqueueEvents(ctx, [event.id], input.requestId);
  return event;
}
