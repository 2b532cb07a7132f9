import type { WebhookSubscription } from '@bellhop/db';
import { conflict } from '@bellhop/errors';
import type { DomainContext } from '../context';
import { getDelivery, type DeliveryDetail } from './delivery-queries';
import { enqueueDelivery } from './enqueue-delivery';
import { pushUrlOf } from '../subscriptions/delivery-mode';
import { findSubscriptionForAgent } from '../subscriptions/subscription-data';

/**
 * Resending is refused while the subscription is disabled (its deliveries would only be cancelled
 * again), and always for a pull subscription (nothing is sent: its agent reads from a cursor).
 */
export function assertActive(sub: WebhookSubscription): void {
  pushUrlOf(sub);
  if (!sub.isActive)
    throw conflict('The subscription is disabled; re-enable it first', 'subscription_disabled', {
      disabled_reason: sub.disabledReason,
    });
}

const reopened = () => ({
  status: 'pending' as const,
  nextAttemptAt: new Date(),
  heldAt: null,
  completedAt: null,
  cancelledReason: null,
});

/** Sends a failed or cancelled delivery again now, as one more attempt. */
export async function retryDelivery(ctx: DomainContext, ownerAgentId: string, id: string): Promise<DeliveryDetail> {
  const delivery = await getDelivery(ctx, ownerAgentId, id);
  const sub = await findSubscriptionForAgent(ctx, ownerAgentId, delivery.subscriptionId);
  assertActive(sub);
  if (delivery.status === 'succeeded' || delivery.status === 'pending')
    throw conflict(
      `This delivery is ${delivery.status}; only failed or cancelled ones can be retried`,
      'delivery_not_retryable',
    );
  // Re-opened only from the state read above: a concurrent retry or recovery that got there first wins.
  const { count } = await ctx.db.delivery.updateMany({
    where: { id, status: delivery.status, attempts: delivery.attempts },
    data: reopened(),
  });
  if (count === 0)
    throw conflict('This delivery changed while it was being retried; read it again', 'delivery_changed');
  await enqueueDelivery(ctx, { id: delivery.id, attempts: delivery.attempts, webhookUrl: pushUrlOf(sub) });
  return getDelivery(ctx, ownerAgentId, id);
}
