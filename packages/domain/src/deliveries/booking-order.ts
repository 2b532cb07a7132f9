import { batcher, batcherPerContext } from '../batching/batcher';
import type { DomainContext } from '../context';
import { admitDueDeliveries } from './enqueue-delivery';

/**
 * Ordered delivery per booking (a subscription with `ordering = 'booking'`). Fan-out stamps each
 * of its deliveries about a booking with `ordered_booking_id`; those of one (subscription,
 * booking) form a chain, in event order (the event's created_at, then id). Only the chain's
 * head, its earliest pending delivery, may be sent, and only once every earlier event of the
 * booking is fanned out (so a late fan-out cannot add an earlier delivery behind it).
 *
 * The order lives in Postgres alone. A lane about to send a delivery that is not its chain's
 * head (`BLOCKED` at load) holds it instead: `held_at` set, `next_attempt_at` NULL, so no
 * sweep, recovery or job sends it and no attempt is used. Held deliveries are released (one at
 * a time, the new head) only by `releaseChains`, which runs after every change that can make a
 * held delivery the head: a delivery of the chain reaching a final state, an event of the
 * booking being fanned out, a delivery being held (it re-checks its own chain), and each sweep
 * (which also covers a worker that died between its write and its release).
 *
 * Why no delivery is held for ever: the writer commits first and checks after (a hold, then a
 * release of its chain; a final outcome or fan-out, then a release), each check in a statement
 * of its own. Of a hold and a concurrent final outcome, the one that commits last sees the
 * other's write in its check, so one of them releases the new head. The release itself is a
 * compare-and-set on `held_at`, so of two concurrent releases one admits the delivery.
 */

export interface Chain {
  subscriptionId: string;
  bookingId: string;
}

const earlierUnfanned = (booking: string, createdAt: string, eventId: string) =>
  `EXISTS (SELECT 1 FROM events u WHERE u.booking_id = ${booking} AND u.fanned_out_at IS NULL AND (u.created_at, u.id) < (${createdAt}, ${eventId}))`;

/**
 * Whether delivery `d` (with its event `e` and subscription `s` joined) must wait for an
 * earlier one of its booking. Written as a CASE so an unordered delivery costs nothing.
 */
export const BLOCKED = `CASE WHEN s.ordering = 'booking' AND d.ordered_booking_id IS NOT NULL THEN
    EXISTS (SELECT 1 FROM deliveries p JOIN events pe ON pe.id = p.event_id
      WHERE p.ordered_booking_id = d.ordered_booking_id AND p.subscription_id = d.subscription_id AND p.status = 'pending' AND p.id <> d.id
        AND (pe.created_at, pe.id) < (e.created_at, e.id))
    OR ${earlierUnfanned('d.ordered_booking_id', 'e.created_at', 'e.id')}
  ELSE false END`;

/** Holds a delivery that must wait (checked again as it is written). True when it is now held. */
export async function holdDelivery(ctx: DomainContext, delivery: { id: string; attempts: number }): Promise<boolean> {
  const now = new Date().toISOString();
  const { rowCount } = await ctx.sql.query({
    name: 'hold-delivery',
    text: `UPDATE deliveries d SET held_at = $3::timestamp, next_attempt_at = NULL, updated_at = $3::timestamp
      FROM events e, webhook_subscriptions s
      WHERE d.id = $1 AND d.status = 'pending' AND d.attempts = $2 AND d.held_at IS NULL AND e.id = d.event_id AND s.id = d.subscription_id AND ${BLOCKED}`,
    values: [delivery.id, delivery.attempts, now],
  });
  return rowCount === 1;
}

interface Released {
  id: string;
  attempts: number;
  webhook_url: string;
  subscription_id: string;
  ordered_booking_id: string;
}

/**
 * Releases each chain's head if it is held and may go now (every earlier event fanned out);
 * a chain whose subscription no longer orders releases all it holds. Returns what it released.
 */
async function releaseHeads(ctx: DomainContext, chains: Chain[]): Promise<Released[]> {
  if (chains.length === 0) return [];
  const now = new Date().toISOString();
  const { rows } = await ctx.sql.query<Released>({
    name: 'release-chain-heads',
    text: `WITH chain AS (
        SELECT DISTINCT subscription_id, booking_id FROM unnest($1::text[], $2::text[]) AS c(subscription_id, booking_id)
      ), head AS (
        SELECT h.id FROM chain c JOIN webhook_subscriptions s ON s.id = c.subscription_id
        CROSS JOIN LATERAL (
          SELECT d.id, d.held_at, e.created_at, e.id AS event_id FROM deliveries d JOIN events e ON e.id = d.event_id
          WHERE d.ordered_booking_id = c.booking_id AND d.subscription_id = c.subscription_id AND d.status = 'pending'
          ORDER BY e.created_at, e.id
          LIMIT CASE WHEN s.ordering = 'booking' THEN 1 END
        ) h
        WHERE h.held_at IS NOT NULL AND (s.ordering <> 'booking' OR NOT ${earlierUnfanned('c.booking_id', 'h.created_at', 'h.event_id')})
      )
      UPDATE deliveries d SET held_at = NULL, next_attempt_at = $3::timestamp, updated_at = $3::timestamp
      FROM webhook_subscriptions s
      WHERE d.id IN (SELECT id FROM head) AND d.held_at IS NOT NULL AND d.status = 'pending' AND s.id = d.subscription_id
      RETURNING d.id, d.attempts, s.webhook_url, d.subscription_id, d.ordered_booking_id`,
    values: [chains.map((c) => c.subscriptionId), chains.map((c) => c.bookingId), now],
  });
  return rows;
}

const chainKey = (subscriptionId: string, bookingId: string) => `${subscriptionId} ${bookingId}`;

/** Concurrent releases (many lanes' outcomes at once) share one statement; each caller gets what its chain released. */
const releaseBatch = batcherPerContext((ctx) =>
  batcher(async (chains: Chain[]): Promise<Released[][]> => {
    const released = new Map<string, Released[]>();
    for (const d of await releaseHeads(ctx, chains)) {
      const key = chainKey(d.subscription_id, d.ordered_booking_id);
      released.set(key, [...(released.get(key) ?? []), d]);
    }
    return chains.map((chain) => {
      const key = chainKey(chain.subscriptionId, chain.bookingId);
      const mine = released.get(key) ?? [];
      released.delete(key);
      return mine;
    });
  }),
);

/**
 * Admits released deliveries. Each gets a job id of its own: the job named after the delivery
 * may still be running as a lane for its endpoint's other deliveries, and would not send it.
 */
async function admitReleased(ctx: DomainContext, released: Released[]): Promise<void> {
  const at = Date.now();
  await admitDueDeliveries(
    ctx,
    released.map((d) => ({
      id: d.id,
      attempts: d.attempts,
      webhookUrl: d.webhook_url,
      jobId: `${d.id}-released-${at}`,
    })),
  );
}

/**
 * Releases the chains' heads that may go now and admits them, except `keep`: a caller that
 * holds that delivery already (a lane) is told it was released and sends it itself.
 */
export async function releaseChains(ctx: DomainContext, chains: Chain[], keep?: string): Promise<boolean> {
  const released = (await Promise.all(chains.map(releaseBatch(ctx)))).flat();
  const others = released.filter((d) => d.id !== keep);
  await admitReleased(ctx, others);
  return others.length < released.length;
}

/** The chain a delivery belongs to, if its subscription ordered it at fan-out. */
export function chainOf(delivery: { subscriptionId: string; orderedBookingId: string | null }): Chain | null {
  return delivery.orderedBookingId
    ? { subscriptionId: delivery.subscriptionId, bookingId: delivery.orderedBookingId }
    : null;
}

/** After these bookings' events were fanned out: releases what an unfanned earlier event held back. */
export async function releaseBookings(ctx: DomainContext, bookingIds: string[]): Promise<void> {
  if (bookingIds.length === 0) return;
  const { rows } = await ctx.sql.query<{ subscription_id: string; ordered_booking_id: string }>({
    name: 'held-chains-of-bookings',
    text: `SELECT DISTINCT subscription_id, ordered_booking_id FROM deliveries
      WHERE ordered_booking_id = ANY($1::text[]) AND held_at IS NOT NULL AND status = 'pending'`,
    values: [bookingIds],
  });
  await releaseChains(
    ctx,
    rows.map((row) => ({ subscriptionId: row.subscription_id, bookingId: row.ordered_booking_id })),
  );
}

const SWEEP_BATCH = 500;

/**
 * The sweep's part: every chain holding a delivery is checked again, so a head whose release
 * was lost (a worker died between a final outcome and its release) goes out. Returns how many it released.
 */
export async function sweepHeldDeliveries(ctx: DomainContext): Promise<number> {
  let released = 0;
  let after: Chain = { subscriptionId: '', bookingId: '' };
  for (;;) {
    const { rows } = await ctx.sql.query<{ subscription_id: string; ordered_booking_id: string }>({
      name: 'held-chains',
      text: `SELECT DISTINCT subscription_id, ordered_booking_id FROM deliveries
        WHERE status = 'pending' AND next_attempt_at IS NULL AND held_at IS NOT NULL AND (subscription_id, ordered_booking_id) > ($1, $2)
        ORDER BY subscription_id, ordered_booking_id LIMIT ${SWEEP_BATCH}`,
      values: [after.subscriptionId, after.bookingId],
    });
    const chains = rows.map((row) => ({ subscriptionId: row.subscription_id, bookingId: row.ordered_booking_id }));
    const heads = await releaseHeads(ctx, chains);
    await admitReleased(ctx, heads);
    released += heads.length;
    if (rows.length < SWEEP_BATCH) break;
    after = chains[chains.length - 1];
  }
  return released;
}

/**
 * A subscription that stopped ordering lets go of what it holds at once (the sweep would too,
 * later). The change is saved either way: if Redis is down, the sweep admits them.
 */
export async function releaseUnordered(ctx: DomainContext, subscriptionId: string): Promise<void> {
  try {
    const { rows } = await ctx.sql.query<{ ordered_booking_id: string }>({
      name: 'held-chains-of-subscription',
      text: `SELECT DISTINCT ordered_booking_id FROM deliveries WHERE subscription_id = $1 AND status = 'pending' AND held_at IS NOT NULL`,
      values: [subscriptionId],
    });
    await admitReleased(
      ctx,
      await releaseHeads(
        ctx,
        rows.map((row) => ({ subscriptionId, bookingId: row.ordered_booking_id })),
      ),
    );
  } catch (error) {
    ctx.logger.warn('held deliveries not released now; the sweeper releases them', {
      subscriptionId,
      error: (error as Error).message,
    });
  }
}
