import { deliveriesByOutcome, deliveryLatency } from '@bellhop/metrics';
import type { Delivery, Event, WebhookSubscription } from '@bellhop/db';
import { batcher, batcherPerContext } from '../batching/batcher';
import type { DomainContext } from '../context';
import { acquireDeliverySlot } from './delivery-throttle';
import { enqueueDelivery } from './enqueue-delivery';
import { recordOutcome, type AttemptOutcome } from './record-outcome';
import { sendAttempt } from './send-attempt';
import type { WebhookTransport } from './transport';

/** Tolerates clock skew between workers when checking that an attempt is due. */
const EARLY_TOLERANCE_MS = 1_000;

type LoadedDelivery = Delivery & { subscription: WebhookSubscription; event: Event };

/**
 * Concurrent delivery jobs load their rows in one batch: deliveries, subscriptions and events
 * as three queries side by side (one round trip of latency; Prisma's include runs them in turn).
 */
const loadDelivery = batcherPerContext((ctx) => batcher(async (ids: string[]): Promise<(LoadedDelivery | null)[]> => {
  const ofThese = { deliveries: { some: { id: { in: ids } } } };
  const [rows, subscriptions, events] = await Promise.all([
    ctx.db.delivery.findMany({ where: { id: { in: ids } } }),
    ctx.db.webhookSubscription.findMany({ where: ofThese }),
    ctx.db.event.findMany({ where: ofThese }),
  ]);
  const subscriptionById = new Map(subscriptions.map((sub) => [sub.id, sub]));
  const eventById = new Map(events.map((event) => [event.id, event]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    const subscription = row && subscriptionById.get(row.subscriptionId);
    const event = row && eventById.get(row.eventId);
    return row && subscription && event ? { ...row, subscription, event } : null;
  });
}));

export type DeliveryRun = AttemptOutcome | { kind: 'skipped'; reason: string } | { kind: 'throttled'; waitMs: number };

/**
 * Makes one attempt of a delivery and schedules the next one. A delivery that is no longer
 * pending, not yet due, or whose subscription is gone is skipped; a busy endpoint is `throttled`.
 */
export async function runDelivery(ctx: DomainContext, deliveryId: string, transport: WebhookTransport): Promise<DeliveryRun> {
  const delivery = await loadDelivery(ctx)(deliveryId);
  if (!delivery || delivery.status !== 'pending') return { kind: 'skipped', reason: 'not pending' };
  const { subscription: sub, event, ...row } = delivery;
  if (!sub.isActive || sub.deletedAt) {
    const reason = sub.deletedAt ? 'subscription deleted' : (sub.disabledReason ?? 'subscription disabled');
    await ctx.db.delivery.updateMany({ where: { id: deliveryId, status: 'pending' }, data: { status: 'cancelled', cancelledReason: reason, nextAttemptAt: null, completedAt: new Date() } });
    return { kind: 'skipped', reason };
  }
  if (row.nextAttemptAt && row.nextAttemptAt.getTime() > Date.now() + EARLY_TOLERANCE_MS) return { kind: 'skipped', reason: 'not due yet' };

  const slot = await acquireDeliverySlot(ctx, sub);
  if (!slot.ok) return { kind: 'throttled', waitMs: slot.waitMs };
  let result;
  try {
    result = await sendAttempt(ctx, event, sub, transport);
  } finally {
    await slot.release();
  }
  const outcome = await recordOutcome(ctx, row, sub, result);
  deliveriesByOutcome.inc({ outcome: outcome.kind });
  deliveryLatency.observe({ outcome: outcome.kind }, result.durationMs / 1000);
  if (outcome.kind === 'retry') await enqueueDelivery(ctx, { id: deliveryId, attempts: outcome.attempts }, outcome.delayMs);
  ctx.logger.info('webhook attempt', { deliveryId, eventId: event.id, subscriptionId: sub.id, attempt: row.attempts + 1, statusCode: result.statusCode, outcome: outcome.kind, durationMs: result.durationMs });
  return outcome;
}
