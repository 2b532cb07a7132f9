import { deliveriesByOutcome, deliveryLatency } from '@bellhop/metrics';
import {
  Prisma,
  prismaCompatibleTypes,
  readModels,
  selectModel,
  type Delivery,
  type Event,
  type WebhookSubscription,
} from '@bellhop/db';
import { isDependencyOutage } from '@bellhop/errors';
import { batcher, batcherPerContext } from '../batching/batcher';
import { GRANT_REVOKED } from '../access/grants';
import type { DomainContext } from '../context';
import { BLOCKED, chainOf, holdDelivery, releaseChains } from './booking-order';
import { pausedSinceLoaded, pauseIfOpen } from './circuit-breaker';
import {
  endpointOf,
  forgetSent,
  LANE_LEASE_MS,
  releaseLane,
  renewLane,
  takeLane,
  takeWaiting,
  type Lane,
} from './endpoint-lanes';
import { isPush, type PushSubscription } from '../subscriptions/delivery-mode';
import { enqueueDelivery } from './enqueue-delivery';
import { recordOutcome, type AttemptOutcome } from './record-outcome';
import { sendAttempt, type AttemptResult } from './send-attempt';
import { awaitSubscriptionRate } from './subscription-rate';
import type { WebhookTransport } from './transport';

/** Tolerates clock skew between workers when checking that an attempt is due. */
const EARLY_TOLERANCE_MS = 1_000;

type LoadedDelivery = Delivery & {
  subscription: WebhookSubscription;
  event: Event;
  grantRevoked: boolean;
  blocked: boolean;
};

// A partner hears a host's events only while the host grants it: checked again here, at send
// time, as is the booking's order (an earlier delivery of it still pending: see booking-order).
const LOAD_DELIVERIES = `SELECT ${selectModel('d', Prisma.DeliveryScalarFieldEnum)},
    ${selectModel('s', Prisma.WebhookSubscriptionScalarFieldEnum)}, ${selectModel('e', Prisma.EventScalarFieldEnum)},
    a.kind = 'partner' AND e.target_subscription_id IS NULL AND e.audience_agent_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM host_agent_grants g WHERE g.host_id = e.host_id AND g.agent_id = s.owner_agent_id) AS "grantRevoked",
    ${BLOCKED} AS "blocked"
  FROM deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id JOIN events e ON e.id = d.event_id JOIN agents a ON a.id = s.owner_agent_id
  WHERE d.id = ANY($1::text[])`;

/** Concurrent delivery jobs load their rows (delivery, subscription, event) with one statement. */
const loadDelivery = batcherPerContext((ctx) =>
  batcher(async (ids: string[]): Promise<(LoadedDelivery | null)[]> => {
    const result = await ctx.sql.query<Record<string, unknown>>({
      name: 'load-deliveries',
      text: LOAD_DELIVERIES,
      values: [ids],
      types: prismaCompatibleTypes,
    });
    const subscriptions = readModels<WebhookSubscription>(result, 's', Prisma.WebhookSubscriptionScalarFieldEnum);
    const events = readModels<Event>(result, 'e', Prisma.EventScalarFieldEnum);
    const byId = new Map(
      readModels<Delivery>(result, 'd', Prisma.DeliveryScalarFieldEnum).map((delivery, i) => [
        delivery.id,
        {
          ...delivery,
          subscription: subscriptions[i],
          event: events[i],
          grantRevoked: result.rows[i].grantRevoked === true,
          blocked: result.rows[i].blocked === true,
        },
      ]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }),
);

export type DeliveryRun = AttemptOutcome | { kind: 'skipped'; reason: string };

interface Ready {
  row: Delivery;
  sub: PushSubscription;
  event: Event;
}

const HELD = 'waits for an earlier delivery of its booking';
const PAUSED = 'paused by its open circuit breaker';

/**
 * Whether a loaded delivery may be sent now; one whose subscription or grant is gone is
 * cancelled, one that must wait for an earlier delivery of its booking is held (see
 * booking-order). A lane sending it stops marking it as being sent before it is held, so its
 * release can admit it again; if that hold releases it at once (its chain moved meanwhile),
 * or it was no longer to be held, it is looked at again.
 */
async function prepare(
  ctx: DomainContext,
  delivery: LoadedDelivery | null,
  lane?: Lane,
  looks = 1,
): Promise<Ready | { kind: 'skipped'; reason: string }> {
  if (!delivery || delivery.status !== 'pending') return { kind: 'skipped', reason: 'not pending' };
  const { subscription: sub, event, grantRevoked, blocked, ...row } = delivery;
  const chain = chainOf(row);
  if (!sub.isActive || sub.deletedAt || grantRevoked) {
    const reason = grantRevoked
      ? GRANT_REVOKED
      : sub.deletedAt
        ? 'subscription deleted'
        : (sub.disabledReason ?? 'subscription disabled');
    await ctx.db.delivery.updateMany({
      where: { id: row.id, status: 'pending' },
      data: {
        status: 'cancelled',
        cancelledReason: reason,
        nextAttemptAt: null,
        heldAt: null,
        pausedAt: null,
        completedAt: new Date(),
      },
    });
    if (chain) await releaseChains(ctx, [chain]);
    return { kind: 'skipped', reason };
  }
  // Never POSTed: a pull subscription's agent reads its messages (a job for one can only be a stray).
  if (!isPush(sub)) return { kind: 'skipped', reason: 'pull subscription: read by its agent, never sent' };
  // Paused by the breaker: the job ends without an attempt; closing the breaker admits it again.
  if (row.pausedAt) return { kind: 'skipped', reason: PAUSED };
  if (pausedSinceLoaded(ctx, row)) {
    await pauseIfOpen(ctx, row.id);
    return { kind: 'skipped', reason: PAUSED };
  }
  if (chain && (blocked || row.heldAt)) {
    if (lane) await forgetSent(ctx, lane, [row.id]);
    const held = row.heldAt !== null || (await holdDelivery(ctx, row));
    const releasedToUs = held && (await releaseChains(ctx, [chain], row.id));
    if (held && !releasedToUs) return { kind: 'skipped', reason: HELD };
    if (looks >= 3) return { kind: 'skipped', reason: HELD };
    return prepare(ctx, await loadDelivery(ctx)(row.id), lane, looks + 1);
  }
  if (row.nextAttemptAt && row.nextAttemptAt.getTime() > Date.now() + EARLY_TOLERANCE_MS)
    return { kind: 'skipped', reason: 'not due yet' };
  return { row, sub, event };
}

/** Sends once the subscription's own rate allows. */
async function send(ctx: DomainContext, ready: Ready, transport: WebhookTransport): Promise<AttemptResult> {
  await awaitSubscriptionRate(ctx, ready.sub);
  return sendAttempt(ctx, ready.event, ready.sub, transport);
}

/**
 * How long an attempt's outcome write keeps being tried while Postgres is unreachable (a restart,
 * a failover). The request went out: giving up means sending it again once the delivery is picked
 * up anew, a duplicate the receiver sees. A write that did commit before the connection dropped
 * is not written twice: the retry's compare-and-set finds it and reports `lost`.
 */
const OUTCOME_WRITE_PATIENCE_MS = 30_000;

async function recordOutcomeThroughOutage(
  ctx: DomainContext,
  { row, sub }: Ready,
  result: AttemptResult,
): Promise<AttemptOutcome> {
  const deadline = Date.now() + OUTCOME_WRITE_PATIENCE_MS;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
    try {
      return await recordOutcome(ctx, row, sub, result);
    } catch (error) {
      if (!isDependencyOutage(error) || Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Writes the attempt's outcome once and schedules the next attempt. */
async function finish(ctx: DomainContext, ready: Ready, result: AttemptResult): Promise<AttemptOutcome> {
  const { row, sub, event } = ready;
  const outcome = await recordOutcomeThroughOutage(ctx, ready, result);
  deliveriesByOutcome.inc({ outcome: outcome.kind });
  deliveryLatency.observe({ outcome: outcome.kind }, result.durationMs / 1000);
  if (outcome.kind === 'retry')
    await enqueueDelivery(ctx, { id: row.id, attempts: outcome.attempts, webhookUrl: sub.webhookUrl }, outcome.delayMs);
  const chain = chainOf(row);
  if (chain && (outcome.kind === 'succeeded' || outcome.kind === 'failed')) await releaseChains(ctx, [chain]);
  const details = {
    deliveryId: row.id,
    eventId: event.id,
    subscriptionId: sub.id,
    attempt: row.attempts + 1,
    statusCode: result.statusCode,
    outcome: outcome.kind,
    durationMs: result.durationMs,
  };
  if (outcome.kind === 'lost')
    ctx.logger.warn(
      'webhook attempt not recorded: another run recorded it first, or the delivery stopped being pending while in flight',
      details,
    );
  else ctx.logger.info('webhook attempt', details);
  return outcome;
}

/**
 * Makes one attempt of a delivery and schedules the next one, outside any lane. A delivery that
 * is no longer pending, not yet due, or whose subscription is gone is skipped. An attempt whose
 * outcome another run wrote first (a re-run job) is `lost`: sent, not recorded.
 */
export async function runDelivery(
  ctx: DomainContext,
  deliveryId: string,
  transport: WebhookTransport,
): Promise<DeliveryRun> {
  const ready = await prepare(ctx, await loadDelivery(ctx)(deliveryId));
  if ('kind' in ready) return ready;
  return finish(ctx, ready, await send(ctx, ready, transport));
}

export type DeliveryJobRun = { kind: 'waiting' } | { kind: 'lane'; sent: number };

/** Deliveries a lane takes at a time; it loads the next ones while it sends these. */
const LANE_BATCH = 10;
/** A lane's outcome writes that may still be in flight behind its sends (concurrent ones share a statement). */
const OUTCOMES_IN_FLIGHT = 32;

/**
 * Runs a delivery job as a lane of its endpoint (see endpoint-lanes): it takes one of the
 * endpoint's slots or leaves its delivery waiting; with a slot it sends its own delivery, then
 * the endpoint's waiting ones, one request at a time, until none waits or the worker stops.
 * It loads the next deliveries while it sends, and writes each outcome while the next request
 * is on its way. A lane that stops or fails gives back all it holds, an attempt whose outcome
 * could not be written included, to wait first in line for the next lane.
 */
export async function runDeliveryJob(
  ctx: DomainContext,
  job: { deliveryId: string; laneId: string },
  transport: WebhookTransport,
  stopping: () => boolean = () => false,
): Promise<DeliveryJobRun> {
  const first = await loadDelivery(ctx)(job.deliveryId);
  // Without its row there is no endpoint to hold: a slot this job held at admission runs out with its lease.
  if (!first || !isPush(first.subscription)) return { kind: 'lane', sent: 0 };
  const lane = { laneId: job.laneId, endpoint: endpointOf(first.subscription.webhookUrl) };
  if (!(await takeLane(ctx, { deliveryId: first.id, ...lane }))) return { kind: 'waiting' };

  const finished: string[] = [];
  // What the lane took and has not finished: a lane that stops or fails gives it back to wait again, first in line.
  const holding = new Set<string>([first.id]);
  const outcomes = new Set<Promise<unknown>>();
  let failure: unknown;
  const done = (id: string, written: boolean) => {
    holding.delete(id);
    if (written) finished.push(id);
  };
  const take = async (last: boolean) => {
    const ids = await takeWaiting(ctx, lane, LANE_BATCH, last, finished.splice(0));
    for (const id of ids) holding.add(id);
    return { ids, rows: await Promise.all(ids.map((id) => loadDelivery(ctx)(id))) };
  };
  // The next batch is taken while this one is sent. A lane that stops early (an error, a stop) never awaits it,
  // so its rejection is marked handled here; where it is awaited, the error still surfaces.
  const takeAhead = () => {
    const next = take(false);
    void next.catch(() => undefined);
    return next;
  };
  let batch = { ids: [first.id], rows: [first] as (LoadedDelivery | null)[] };
  let ahead = takeAhead();
  let sent = 0;
  let stopped = false;
  // Sends to a slow endpoint can outlast the lease: keep the slot and what the lane holds leased while it runs.
  const renewing = setInterval(() => {
    renewLane(ctx, lane, [...holding]).catch(() => undefined);
  }, LANE_LEASE_MS / 3);
  try {
    while (batch.ids.length > 0) {
      for (let i = 0; i < batch.ids.length; i++) {
        if (stopping() || failure) {
          stopped = true;
          break;
        }
        const ready = await prepare(ctx, batch.rows[i], lane);
        // A held delivery was no longer marked as being sent when it was held: its release may have admitted it again since.
        if ('kind' in ready) {
          done(batch.ids[i], ready.reason !== HELD);
          continue;
        }
        const result = await send(ctx, ready, transport);
        sent++;
        const outcome: Promise<unknown> = finish(ctx, ready, result)
          .then(
            () => done(ready.row.id, true),
            (error: unknown) => {
              failure ??= error; // unrecorded: it stays held, and is given back below
            },
          )
          .finally(() => outcomes.delete(outcome));
        outcomes.add(outcome);
        if (outcomes.size >= OUTCOMES_IN_FLIGHT) await Promise.race(outcomes);
      }
      if (stopped) break;
      batch = await ahead;
      // Taken ahead while sending, so an empty turn kept the slot: the last turn, done sending, takes newcomers or gives it back.
      if (batch.ids.length === 0) batch = await take(true);
      if (batch.ids.length > 0) ahead = takeAhead();
    }
    await Promise.all(outcomes);
    await forgetSent(ctx, lane, finished);
  } catch (error) {
    failure ??= error;
  } finally {
    clearInterval(renewing);
  }
  if (stopped || failure) {
    await Promise.all([...outcomes]); // they never reject: an outcome that was not written leaves its delivery held
    await ahead.catch(() => undefined); // what it took ahead is held too
    await releaseLane(ctx, lane, [...holding]);
  }
  // Rethrown as it was caught (`if` narrowed it to {}, not an Error).
  if (failure) throw failure as unknown;
  return { kind: 'lane', sent };
}
