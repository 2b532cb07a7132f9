import { Prisma, prismaCompatibleTypes, readModels, selectModel, type Event } from '@bellhop/db';
import { matchesAny, newId } from '@bellhop/events';
import { batcher, batcherPerContext } from '../batching/batcher';
import type { DomainContext } from '../context';
import { eventTrace } from '../events/event-trace';
import { publishEventToHost } from '../notifications/publish-event';
import { releaseBookings } from './booking-order';
import { createPullMessages } from '../pull/create-pull-messages';
import { admitDueDeliveries } from './enqueue-delivery';

export interface FanOutResult {
  deliveries: number;
  fannedOut: boolean;
}

interface Candidate {
  id: string;
  ownerAgentId: string;
  ownerKind: 'partner' | 'platform';
  events: string[];
  webhookUrl: string | null;
  ordering: 'none' | 'booking';
  delivery: 'push' | 'pull';
}

const LOAD_EVENTS = `SELECT ${selectModel('e', Prisma.EventScalarFieldEnum)} FROM events e WHERE e.id = ANY($1::text[])`;
const LOAD_CANDIDATES = `SELECT s.id, s.owner_agent_id AS "ownerAgentId", a.kind::text AS "ownerKind",
    coalesce(s.events, '{}') AS events, s.webhook_url AS "webhookUrl", s.ordering::text AS ordering,
    s.delivery::text AS delivery
  FROM webhook_subscriptions s JOIN agents a ON a.id = s.owner_agent_id WHERE s.is_active AND s.deleted_at IS NULL`;

/** "host agent" pairs of the grants on these events' hosts (only asked when a partner subscribes at all). */
async function loadGrants(ctx: DomainContext, events: Event[], candidates: Candidate[]): Promise<Set<string>> {
  const hostIds = [...new Set(events.flatMap((e) => (e.hostId ? [e.hostId] : [])))];
  if (hostIds.length === 0 || !candidates.some((c) => c.ownerKind === 'partner')) return new Set();
  const { rows } = await ctx.sql.query<{ pair: string }>({
    name: 'load-host-grants',
    text: "SELECT host_id || ' ' || agent_id AS pair FROM host_agent_grants WHERE host_id = ANY($1::text[])",
    values: [hostIds],
  });
  return new Set(rows.map((row) => row.pair));
}

/**
 * The subscriptions an event goes to: active, matching its type, and allowed to hear it. An event
 * addressed to one subscription or one agent goes there alone; otherwise a platform agent hears
 * every event, a partner only those of hosts that grant it (so never one without a host).
 */
function recipients(event: Event, candidates: Candidate[], grants: Set<string>): Candidate[] {
  return candidates.filter((sub) => {
    if (event.targetSubscriptionId && sub.id !== event.targetSubscriptionId) return false;
    if (event.audienceAgentId && sub.ownerAgentId !== event.audienceAgentId) return false;
    if (!matchesAny(sub.events, event.type)) return false;
    if (event.targetSubscriptionId || event.audienceAgentId || sub.ownerKind === 'platform') return true;
    return event.hostId !== null && grants.has(`${event.hostId} ${sub.ownerAgentId}`);
  });
}

/**
 * A claim on an event's live push older than this belongs to a fan-out that died before it
 * pushed; the next one (the sweeper's) takes over. Far longer than a push takes.
 */
const PUSH_CLAIM_MS = 60_000;

/**
 * Inserts the missing delivery rows, marks the events without a host fanned out, claims the live
 * push of the events with a host that no other fan-out holds, and returns every delivery of these
 * events still waiting for its first attempt (paused at once when its subscription's circuit breaker is open; later attempts are scheduled by the delivery job or
 * the sweeper) and the claimed events, in one statement. The outer SELECT reads the snapshot
 * from before the INSERT, so the two halves never overlap. Marking before the jobs are added is
 * safe: a pending delivery whose job never made it is re-enqueued by the due-delivery sweeper.
 *
 * Why claim rather than mark: the UPDATE decides atomically which of two fan-outs of an event
 * (a sweeper re-run, or a commit's shared job beside the event's own) pushes it, so a host sees
 * each push once. Marking `fanned_out_at` instead would decide the same, but a worker that died
 * between the mark and the push would lose that push for good. An event with a host is marked
 * only after its push (`markFannedOut`), so the sweeper keeps finding it until then: a failed push
 * gives its claim back at once, a dead worker's claim goes stale after PUSH_CLAIM_MS.
 *
 * The filters beside the key lookups are written so no index can serve them (`coalesce(…)`,
 * `::text`): rows are found by key, never through an index full of dead `pending` entries.
 */
interface Pair {
  eventId: string;
  subscriptionId: string;
  orderedBookingId: string | null;
}

async function createPendingDeliveries(ctx: DomainContext, eventIds: string[], pairs: Pair[], now: Date) {
  const { rows } = await ctx.sql.query<{
    kind: 'delivery' | 'push';
    id: string;
    event_id: string;
    subscription_id: string | null;
    paused: boolean;
  }>({
    name: 'create-pending-deliveries',
    text: `WITH inserted AS (
        INSERT INTO deliveries (id, event_id, subscription_id, ordered_booking_id, status, next_attempt_at, paused_at, created_at, updated_at)
        SELECT new.id, new.event_id, new.subscription_id, new.ordered_booking_id, 'pending', $4::timestamp,
          CASE WHEN s.breaker_opened_at IS NOT NULL THEN $4::timestamp END, $4::timestamp, $4::timestamp
        FROM unnest($1::text[], $2::text[], $3::text[], $7::text[]) AS new(id, event_id, subscription_id, ordered_booking_id)
          JOIN webhook_subscriptions s ON s.id = new.subscription_id
        ON CONFLICT (event_id, subscription_id) DO NOTHING
        RETURNING id, event_id, subscription_id, paused_at
      ), marked AS (
        UPDATE events SET fanned_out_at = $4::timestamp
        WHERE id = ANY($5::text[]) AND coalesce(host_id, fanned_out_at::text) IS NULL
      ), claimed AS (
        UPDATE events SET push_claimed_at = $4::timestamp
        WHERE id = ANY($5::text[]) AND host_id IS NOT NULL AND fanned_out_at::text IS NULL AND coalesce(push_claimed_at, '-infinity') < $6::timestamp
        RETURNING id
      )
      SELECT 'delivery' AS kind, id, event_id, subscription_id, paused_at IS NOT NULL AS paused FROM inserted
      UNION ALL
      SELECT 'delivery', id, event_id, subscription_id, paused_at IS NOT NULL FROM deliveries
      WHERE event_id = ANY($5::text[]) AND status::text = 'pending' AND attempts = 0
      UNION ALL
      SELECT 'push', id, id, NULL, false FROM claimed`,
    values: [
      pairs.map(() => newId('delivery')),
      pairs.map((p) => p.eventId),
      pairs.map((p) => p.subscriptionId),
      now.toISOString(),
      eventIds,
      new Date(now.getTime() - PUSH_CLAIM_MS).toISOString(),
      pairs.map((p) => p.orderedBookingId),
    ],
  });
  return {
    pending: rows.filter((row) => row.kind === 'delivery'),
    claimed: new Set(rows.filter((row) => row.kind === 'push').map((row) => row.id)),
  };
}

/** Marks events fanned out once their host has had the live push, so a failed push is swept and retried. */
async function markFannedOut(ctx: DomainContext, eventIds: string[], now: Date): Promise<void> {
  await ctx.sql.query({
    name: 'mark-events-fanned-out',
    text: 'UPDATE events SET fanned_out_at = $1::timestamp WHERE id = ANY($2::text[]) AND fanned_out_at::text IS NULL',
    values: [now.toISOString(), eventIds],
  });
}

/** Gives back the claims of pushes that failed, so the next sweep's fan-out pushes them at once. */
async function releasePushClaims(ctx: DomainContext, eventIds: string[]): Promise<void> {
  await ctx.sql.query({
    name: 'release-push-claims',
    text: 'UPDATE events SET push_claimed_at = NULL WHERE id = ANY($1::text[]) AND fanned_out_at::text IS NULL',
    values: [eventIds],
  });
}

/** Pushes the claimed events to their hosts; each pushed one is marked fanned out, a failed one is left to the sweeper. */
async function pushClaimed(ctx: DomainContext, events: Event[], now: Date): Promise<void> {
  const pushes = await Promise.allSettled(events.map((event) => publishEventToHost(ctx, event)));
  const pushed = events.filter((_, i) => pushes[i].status === 'fulfilled').map((event) => event.id);
  const failed = events.filter((_, i) => pushes[i].status === 'rejected').map((event) => event.id);
  if (pushed.length > 0) await markFannedOut(ctx, pushed, now);
  if (failed.length === 0) return;
  await releasePushClaims(ctx, failed);
  throw (pushes.find((push) => push.status === 'rejected') as PromiseRejectedResult).reason;
}

/**
 * Turns events into Delivery rows and delivery jobs, and pushes each to its host's live
 * stream once. Every step is idempotent, so a re-run after a crash or a sweep is harmless.
 */
async function fanOutAll(ctx: DomainContext, eventIds: string[]): Promise<FanOutResult[]> {
  const [events, candidates] = await Promise.all([
    ctx.sql
      .query<Record<string, unknown>>({
        name: 'load-events',
        text: LOAD_EVENTS,
        values: [eventIds],
        types: prismaCompatibleTypes,
      })
      .then((result) => readModels<Event>(result, 'e', Prisma.EventScalarFieldEnum)),
    ctx.sql.query<Candidate>({ name: 'load-active-subscriptions', text: LOAD_CANDIDATES }).then(({ rows }) => rows),
  ]);
  const spans = events.map((event) =>
    ctx.tracing.startSpan('fan-out', {
      kind: 'consumer',
      parent: eventTrace(event),
      attributes: { 'bellhop.event.id': event.id, 'bellhop.event.type': event.type },
    }),
  );
  try {
    const results = await fanOutLoaded(ctx, eventIds, events, candidates);
    const deliveriesOf = new Map(eventIds.map((id, i) => [id, results[i].deliveries]));
    spans.forEach((span, i) => {
      span.setAttributes({ 'bellhop.deliveries': deliveriesOf.get(events[i].id) ?? 0 });
      span.end();
    });
    return results;
  } catch (error) {
    for (const span of spans) span.end((error as Error).message);
    throw error;
  }
}

/** The fan-out of loaded events, each under its own span (see fanOutAll). */
async function fanOutLoaded(
  ctx: DomainContext,
  eventIds: string[],
  events: Event[],
  candidates: Candidate[],
): Promise<FanOutResult[]> {
  const grants = await loadGrants(ctx, events, candidates);
  const matched = events.flatMap((event) => recipients(event, candidates, grants).map((sub) => ({ event, sub })));
  const pairs = matched
    .filter(({ sub }) => sub.delivery === 'push')
    .map(({ event, sub }) => ({
      eventId: event.id,
      subscriptionId: sub.id,
      orderedBookingId: sub.ordering === 'booking' ? event.bookingId : null,
    }));
  const now = new Date();
  // Stored before the events can be marked fanned out below, so a failure here leaves them to the sweeper.
  await createPullMessages(
    ctx,
    matched
      .filter(({ sub }) => sub.delivery === 'pull')
      .map(({ event, sub }) => ({ eventId: event.id, subscriptionId: sub.id })),
    now,
  );
  const { pending, claimed } = await createPendingDeliveries(
    ctx,
    events.map((e) => e.id),
    pairs,
    now,
  );
  const byId = new Map(events.map((e) => [e.id, e]));
  const urlOf = new Map(candidates.map((c) => [c.id, c.webhookUrl]));
  // A delivery whose subscription stopped being a candidate meanwhile has no URL here: the sweeper admits it.
  // Pull messages have none either: they are never sent.
  // One created paused (its subscription's circuit breaker is open) waits for the breaker to close.
  await admitDueDeliveries(
    ctx,
    pending.flatMap((d) => {
      if (d.paused) return [];
      const webhookUrl = d.subscription_id ? urlOf.get(d.subscription_id) : undefined;
      return webhookUrl ? [{ id: d.id, attempts: 0, webhookUrl, requestId: byId.get(d.event_id)?.requestId }] : [];
    }),
  );
  await pushClaimed(
    ctx,
    events.filter((event) => claimed.has(event.id)),
    now,
  );
  // Fanned out now, these events no longer hold back later deliveries of their bookings.
  if (candidates.some((c) => c.ordering === 'booking'))
    await releaseBookings(ctx, [...new Set(events.flatMap((e) => (e.bookingId ? [e.bookingId] : [])))]);
  const deliveriesOf = new Map<string, number>();
  for (const d of pending) deliveriesOf.set(d.event_id, (deliveriesOf.get(d.event_id) ?? 0) + 1);
  return eventIds.map((id) => ({ deliveries: deliveriesOf.get(id) ?? 0, fannedOut: byId.has(id) }));
}

const fanOutBatch = batcherPerContext((ctx) => batcher((eventIds: string[]) => fanOutAll(ctx, eventIds)));

/** Fans events out; concurrent calls (the events worker's jobs) share one batch. */
export function fanOutEvents(ctx: DomainContext, eventIds: string[]): Promise<FanOutResult[]> {
  return Promise.all(eventIds.map(fanOutBatch(ctx)));
}
