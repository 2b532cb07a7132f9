import type { Prisma } from '@bellhop/db';
import { QUEUES } from '@bellhop/queue';
import { matchesAny, newId } from '@bellhop/events';
import type { DomainContext } from '../context';
import { publishEventToHost } from '../notifications/publish-event';

export interface FanOutResult { deliveries: number; fannedOut: boolean }

/**
 * Turns one event into Delivery rows and delivery jobs, and pushes it to the host's live
 * stream. Every step is idempotent, so a re-run after a crash or a sweep is harmless.
 */
export async function fanOutEvent(ctx: DomainContext, eventId: string): Promise<FanOutResult> {
  const event = await ctx.db.event.findUnique({ where: { id: eventId } });
  if (!event) return { deliveries: 0, fannedOut: false };
  const where: Prisma.WebhookSubscriptionWhereInput = { isActive: true, deletedAt: null };
  if (event.audienceKeyId) where.ownerKeyId = event.audienceKeyId;
  if (event.targetSubscriptionId) where.id = event.targetSubscriptionId;
  const candidates = await ctx.db.webhookSubscription.findMany({ where, select: { id: true, events: true } });
  const matching = candidates.filter((sub) => matchesAny(sub.events, event.type));
  const now = new Date();
  if (matching.length > 0) {
    await ctx.db.delivery.createMany({
      data: matching.map((sub) => ({ id: newId('delivery'), eventId, subscriptionId: sub.id, status: 'pending' as const, nextAttemptAt: now })),
      skipDuplicates: true,
    });
  }
  // Only first attempts: later ones are scheduled by the delivery job or the sweeper.
  const pending = await ctx.db.delivery.findMany({ where: { eventId, status: 'pending', attempts: 0 }, select: { id: true } });
  await ctx.queues.deliveries.addBulk(pending.map((d) => ({ name: QUEUES.deliveries.jobName, data: { deliveryId: d.id, ...(event.requestId ? { requestId: event.requestId } : {}) }, opts: { jobId: d.id } })));
  await publishEventToHost(ctx, event);
  if (!event.fannedOutAt) await ctx.db.event.update({ where: { id: eventId }, data: { fannedOutAt: now } });
  return { deliveries: pending.length, fannedOut: true };
}
