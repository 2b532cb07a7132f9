import type { WebhookSubscription } from '@bellhop/db';
import { EVENT } from '@bellhop/events';
import type { DomainContext } from '../context';
import { recordEvent } from '../events/record-event';

/**
 * Disables a subscription once (a concurrent second call is a no-op), cancels its pending
 * deliveries with the reason, and tells the owner's other subscriptions.
 */
export async function disableSubscription(
  ctx: DomainContext,
  sub: Pick<WebhookSubscription, 'id' | 'ownerAgentId' | 'webhookUrl'>,
  reason: string,
): Promise<boolean> {
  const disabledAt = new Date();
  const won = await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.webhookSubscription.updateMany({
      where: { id: sub.id, isActive: true },
      data: { isActive: false, disabledReason: reason, disabledAt },
    });
    if (count === 0) return false;
    await tx.delivery.updateMany({
      where: { subscriptionId: sub.id, status: 'pending' },
      data: {
        status: 'cancelled',
        cancelledReason: reason,
        nextAttemptAt: null,
        heldAt: null,
        pausedAt: null,
        completedAt: disabledAt,
      },
    });
    return true;
  });
  if (!won) return false;
  ctx.logger.warn('webhook subscription disabled', { subscriptionId: sub.id, ownerAgentId: sub.ownerAgentId, reason });
  await recordEvent(ctx, {
    type: EVENT.subscriptionDisabled,
    data: { subscription_id: sub.id, webhook_url: sub.webhookUrl, reason, disabled_at: disabledAt.toISOString() },
    audienceAgentId: sub.ownerAgentId,
  });
  return true;
}
