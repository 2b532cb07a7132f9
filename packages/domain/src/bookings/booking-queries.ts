import type { Booking, Property } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { ActingAgent } from '../access/agents';
import { hostsActedForBy } from '../access/host-scope';
import type { DomainContext } from '../context';

/** A booking of a host the agent acts for; any other is 404, like a missing one. */
export async function findBookingForAgent(ctx: DomainContext, agent: ActingAgent, bookingId: string): Promise<Booking> {
  const booking = await ctx.db.booking.findFirst({ where: { id: bookingId, host: hostsActedForBy(agent) } });
  if (!booking) throw notFound('Booking');
  return booking;
}

export type BookingWithProperty = Booking & { property: Pick<Property, 'id' | 'title' | 'address'> };

/** A host's pending bookings, newest first, cursor = the last id seen (ids sort by time); none unless the agent acts for the host. */
export async function listPendingBookingsForAgent(
  ctx: DomainContext,
  agent: ActingAgent,
  hostId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: BookingWithProperty[]; nextCursor: string | null }> {
  const items = await ctx.db.booking.findMany({
    where: {
      hostId,
      host: hostsActedForBy(agent),
      status: 'pending',
      ...(page.cursor ? { id: { lt: page.cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: page.limit + 1,
    include: { property: { select: { id: true, title: true, address: true } } },
  });
  const more = items.length > page.limit;
  const shown = items.slice(0, page.limit);
  return { items: shown, nextCursor: more ? shown[shown.length - 1].id : null };
}
