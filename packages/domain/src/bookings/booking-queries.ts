import type { Booking, Property } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';

export async function getBooking(ctx: DomainContext, bookingId: string): Promise<Booking> {
  const booking = await ctx.db.booking.findUnique({ where: { id: bookingId } });
  if (!booking) throw notFound('Booking');
  return booking;
}

export type BookingWithProperty = Booking & { property: Pick<Property, 'id' | 'title' | 'address'> };

/** A host's pending bookings, newest first, cursor = the last id seen (ids sort by time). */
export async function listPendingBookings(ctx: DomainContext, hostId: string, page: { limit: number; cursor?: string }): Promise<{ items: BookingWithProperty[]; nextCursor: string | null }> {
  const items = await ctx.db.booking.findMany({
    where: { hostId, status: 'pending', ...(page.cursor ? { id: { lt: page.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: page.limit + 1,
    include: { property: { select: { id: true, title: true, address: true } } },
  });
  const more = items.length > page.limit;
  const shown = items.slice(0, page.limit);
  return { items: shown, nextCursor: more ? shown[shown.length - 1].id : null };
}
