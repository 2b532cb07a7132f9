import { EVENT, newId } from '@bellhop/events';
import type { DomainContext } from '../context';
import { assertRecordableType } from '../event-types/event-type-rules';
import { enqueueEvents, insertEvent, type RequestOrigin } from '../events/record-event';
import { withinQueueBudget } from '../events/queue-outage';
import { findSubscriptionForAgent } from './subscription-data';
import { enqueueDelivery } from '../deliveries/enqueue-delivery';
import { createPullMessages } from '../pull/create-pull-messages';
import { isPush } from './delivery-mode';

export interface TestWebhookRequest extends RequestOrigin {
  ownerAgentId: string;
  subscriptionId: string;
  eventType?: string;
}
export interface TestWebhookResult {
  deliveryId: string;
  eventId: string;
}

/** Queues the first attempt; like enqueueEvents, a Redis outage leaves the row for the sweeper. */
async function enqueueTestDelivery(
  ctx: DomainContext,
  deliveryId: string,
  webhookUrl: string,
  requestId?: string | null,
): Promise<void> {
  try {
    await withinQueueBudget(ctx, () => enqueueDelivery(ctx, { id: deliveryId, attempts: 0, webhookUrl }, 0, requestId));
  } catch (error) {
    ctx.logger.warn('delivery recorded but not enqueued; the sweeper will pick it up', {
      deliveryId,
      requestId,
      error: (error as Error).message,
    });
  }
}

/**
 * Sends a webhook.test event to one subscription only: for push, the event and its delivery commit
 * together; for pull, its message is numbered right after the event commits.
 */
export async function sendTestWebhook(ctx: DomainContext, request: TestWebhookRequest): Promise<TestWebhookResult> {
  const subscription = await findSubscriptionForAgent(ctx, request.ownerAgentId, request.subscriptionId);
  if (request.eventType) await assertRecordableType(ctx, request.eventType, 'event_type');
  const data = {
    message: `Test webhook for subscription ${subscription.id} from Bellhop`,
    subscription_id: subscription.id,
    ...(request.eventType ? { requested_event_type: request.eventType } : {}),
  };
  const deliveryId = newId('delivery');
  const event = await ctx.db.$transaction(async (tx) => {
    const recorded = await insertEvent(tx, {
      type: EVENT.webhookTest,
      data,
      sourceAgentId: request.ownerAgentId,
      targetSubscriptionId: subscription.id,
      requestId: request.requestId,
      trace: request.trace,
    });
    if (isPush(subscription))
      await tx.delivery.create({
        data: {
          id: deliveryId,
          eventId: recorded.id,
          subscriptionId: subscription.id,
          status: 'pending',
          nextAttemptAt: new Date(),
        },
      });
    return recorded;
  });
  if (isPush(subscription)) await enqueueTestDelivery(ctx, deliveryId, subscription.webhookUrl, request.requestId);
  else await createPullMessages(ctx, [{ eventId: event.id, subscriptionId: subscription.id, deliveryId }]);
  await enqueueEvents(ctx, [event.id], request.requestId);
  return { deliveryId, eventId: event.id };
}
