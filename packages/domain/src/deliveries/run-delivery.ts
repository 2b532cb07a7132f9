import { deliveriesByOutcome, deliveryLatency } from '@bellhop/metrics';
import { Prisma, prismaCompatibleTypes, readModels, selectModel, type Delivery, type Event, type WebhookSubscription } from '@bellhop/db';
import { batcher, batcherPerContext } from '../batching/batcher';
import { GRANT_REVOKED } from '../access/grants';
import type { DomainContext } from '../context';
import { acquireDeliverySlot } from './delivery-throttle';
import { enqueueDelivery } from './enqueue-delivery';
import { recordOutcome, type AttemptOutcome } from './record-outcome';
import { sendAttempt } from './send-attempt';
import type { WebhookTransport } from './transport';

/** Tolerates clock skew between workers when checking that an attempt is due. */
const EARLY_TOLERANCE_MS = 1_000;

type LoadedDelivery = Delivery & { subscription: WebhookSubscription; event: Event; grantRevoked: boolean };

// A partner hears a host's events only while the host grants it: checked again here, at send time.
const LOAD_DELIVERIES = `SELECT ${selectModel('d', Prisma.DeliveryScalarFieldEnum)}, ${selectModel('s', Prisma.WebhookSubscriptionScalarFieldEnum)}, ${selectModel('e', Prisma.EventScalarFieldEnum)},
    a.kind = 'partner' AND e.target_subscription_id IS NULL AND e.audience_agent_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM host_agent_grants g WHERE g.host_id = e.host_id AND g.agent_id = s.owner_agent_id) AS "grantRevoked"
  FROM deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id JOIN events e ON e.id = d.event_id JOIN agents a ON a.id = s.owner_agent_id
  WHERE d.id = ANY($1::text[])`;

/** Concurrent delivery jobs load their rows (delivery, subscription, event) with one statement. */
const loadDelivery = batcherPerContext((ctx) => batcher(async (ids: string[]): Promise<(LoadedDelivery | null)[]> => {
  const result = await ctx.sql.query<Record<string, unknown>>({ name: 'load-deliveries', text: LOAD_DELIVERIES, values: [ids], types: prismaCompatibleTypes });
  const subscriptions = readModels<WebhookSubscription>(result, 's', Prisma.WebhookSubscriptionScalarFieldEnum);
  const events = readModels<Event>(result, 'e', Prisma.EventScalarFieldEnum);
  const byId = new Map(readModels<Delivery>(result, 'd', Prisma.DeliveryScalarFieldEnum)
    .map((delivery, i) => [delivery.id, { ...delivery, subscription: subscriptions[i], event: events[i], grantRevoked: result.rows[i].grantRevoked === true }]));
  return ids.map((id) => byId.get(id) ?? null);
}));

export type DeliveryRun = AttemptOutcome | { kind: 'skipped'; reason: string } | { kind: 'throttled'; waitMs: number };

/**
 * Makes one attempt of a delivery and schedules the next one. A delivery that is no longer
 * pending, not yet due, or whose subscription is gone is skipped; a busy endpoint is `throttled`.
 * An attempt whose outcome another run wrote first (a re-run job) is `lost`: sent, not recorded.
 */
export async function runDelivery(ctx: DomainContext, deliveryId: string, transport: WebhookTransport): Promise<DeliveryRun> {
  const delivery = await loadDelivery(ctx)(deliveryId);
  if (!delivery || delivery.status !== 'pending') return { kind: 'skipped', reason: 'not pending' };
  const { subscription: sub, event, grantRevoked, ...row } = delivery;
  if (!sub.isActive || sub.deletedAt || grantRevoked) {
    const reason = grantRevoked ? GRANT_REVOKED : sub.deletedAt ? 'subscription deleted' : (sub.disabledReason ?? 'subscription disabled');
    await ctx.db.delivery.updateMany({ where: { id: deliveryId, status: 'pending' }, data: { status: 'cancelled', cancelledReason: reason, nextAttemptAt: null, completedAt: new Date() } });
    return { kind: 'skipped', reason };
  }
  if (row.nextAttemptAt && row.nextAttemptAt.getTime() > Date.now() + EARLY_TOLERANCE_MS) return { kind: 'skipped', reason: 'not due yet' };

  const slot = await acquireDeliverySlot(ctx, sub);
  if (!slot.ok) return { kind: 'throttled', waitMs: slot.waitMs };
  const result = await sendAttempt(ctx, event, sub, transport).catch(async (error: unknown) => {
    await slot.release();
    throw error;
  });
  // The slot goes back while the outcome is written: neither waits for the other's round trip.
  const [outcome] = await Promise.all([recordOutcome(ctx, row, sub, result), slot.release()]);
  deliveriesByOutcome.inc({ outcome: outcome.kind });
  deliveryLatency.observe({ outcome: outcome.kind }, result.durationMs / 1000);
  if (outcome.kind === 'retry') await enqueueDelivery(ctx, { id: deliveryId, attempts: outcome.attempts }, outcome.delayMs);
  const details = { deliveryId, eventId: event.id, subscriptionId: sub.id, attempt: row.attempts + 1, statusCode: result.statusCode, outcome: outcome.kind, durationMs: result.durationMs };
  if (outcome.kind === 'lost') ctx.logger.warn('webhook attempt not recorded: another run recorded it first, or the delivery stopped being pending while in flight', details);
  else ctx.logger.info('webhook attempt', details);
  return outcome;
}
