import type { Prisma } from '@bellhop/db';
import { QUEUES } from '@bellhop/queue';
import { matchesAny, newId } from '@bellhop/events';
import type { DomainContext } from '../context';
import { publishEventToHost } from '../notifications/publish-event';

export interface FanOutResult { deliveries: number; fannedOut: boolean }

/**
 * Inserts the missing delivery rows and returns every delivery of the event still waiting for
 * its first attempt (later attempts are scheduled by the delivery job or the sweeper), in one
 * statement. The outer SELECT reads the snapshot from before the INSERT, so the two halves
 * never overlap.
 */
async function createPendingDeliveries(ctx: DomainContext, eventId: string, subscriptionIds: string[], now: Date): Promise<{ id: string }[]> {
  const { rows } = await ctx.sql.query<{ id: string }>({
    name: 'create-pending-deliveries',
    text: `WITH inserted AS (
        INSERT INTO deliveries (id, event_id, subscription_id, status, next_attempt_at, created_at, updated_at)
        SELECT new.id, $1, new.subscription_id, 'pending', $4::timestamp, $4::timestamp, $4::timestamp
        FROM unnest($2::text[], $3::text[]) AS new(id, subscription_id)
        ON CONFLICT (event_id, subscription_id) DO NOTHING
        RETURNING id
      )
      SELECT id FROM inserted
      UNION ALL
      SELECT id FROM deliveries WHERE event_id = $1 AND status = 'pending' AND attempts = 0`,
    values: [eventId, subscriptionIds.map(() => newId('delivery')), subscriptionIds, now.toISOString()],
  });
  return rows;
}

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
  const pending = await createPendingDeliveries(ctx, eventId, matching.map((sub) => sub.id), now);
  if (pending.length > 0) await ctx.queues.deliveries.addBulk(pending.map((d) => ({ name: QUEUES.deliveries.jobName, data: { deliveryId: d.id, ...(event.requestId ? { requestId: event.requestId } : {}) }, opts: { jobId: d.id } })));
  await publishEventToHost(ctx, event);
  if (!event.fannedOutAt) await ctx.db.event.update({ where: { id: eventId }, data: { fannedOutAt: now } });
  return { deliveries: pending.length, fannedOut: true };
}
