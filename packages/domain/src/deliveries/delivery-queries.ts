import type { Delivery, DeliveryAttempt, DeliveryStatus, Event } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';
import { findSubscriptionForAgent } from '../subscriptions/subscription-data';

export interface DeliveryFilter {
  status?: DeliveryStatus;
  limit: number;
  cursor?: string;
}
export type DeliveryWithEvent = Delivery & { event: Pick<Event, 'id' | 'type' | 'createdAt'> };
export type DeliveryDetail = DeliveryWithEvent & { attemptLog: DeliveryAttempt[] };

const eventSummary = { select: { id: true, type: true, createdAt: true } } as const;

/** A page of one owned subscription's deliveries, newest first (ids are time-sortable). */
export async function listDeliveries(
  ctx: DomainContext,
  ownerAgentId: string,
  subscriptionId: string,
  filter: DeliveryFilter,
): Promise<{ items: DeliveryWithEvent[]; nextCursor: string | null }> {
  await findSubscriptionForAgent(ctx, ownerAgentId, subscriptionId);
  const rows = await ctx.db.delivery.findMany({
    where: {
      subscriptionId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.cursor ? { id: { lt: filter.cursor } } : {}),
    },
    include: { event: eventSummary },
    orderBy: { id: 'desc' },
    take: filter.limit + 1,
  });
  const items = rows.slice(0, filter.limit);
  return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].id : null };
}

/** One delivery of the caller's own subscriptions, with every attempt. */
export async function getDelivery(ctx: DomainContext, ownerAgentId: string, id: string): Promise<DeliveryDetail> {
  const delivery = await ctx.db.delivery.findFirst({
    where: { id, subscription: { ownerAgentId, deletedAt: null } },
    include: { event: eventSummary, attemptLog: { orderBy: { number: 'asc' } } },
  });
  if (!delivery) throw notFound('Delivery');
  return delivery;
}
