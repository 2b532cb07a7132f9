import { bookingStatusEvent } from '@bellhop/events';
import type { DomainContext } from '../context';
import { enqueueEvents, insertEvent } from '../events/record-event';
import { bookingEvent } from './booking-event';

const BATCH = 100;

/**
 * Expires pending bookings past `expires_at`, one booking.expired per booking. Each is a
 * compare-and-set on `pending`, so a confirm that wins the race is never overwritten.
 * Returns how many expired; safe to run concurrently and repeatedly.
 */
export async function expirePendingBookings(ctx: DomainContext, now = new Date()): Promise<number> {
  let expired = 0;
  for (;;) {
    const due = await ctx.db.booking.findMany({
      where: { status: 'pending', expiresAt: { lte: now } },
      orderBy: { expiresAt: 'asc' },
      take: BATCH,
      select: { id: true },
    });
    const eventIds: string[] = [];
    for (const { id } of due) {
      const eventId = await ctx.db.$transaction(async (tx) => {
        const { count } = await tx.booking.updateMany({
          where: { id, status: 'pending', expiresAt: { lte: now } },
          data: { status: 'expired', statusReason: 'no host response in time' },
        });
        if (count === 0) return null;
        const booking = await tx.booking.findUniqueOrThrow({ where: { id } });
        return (
          await insertEvent(
            tx,
            bookingEvent(bookingStatusEvent('expired'), booking, {
              previousStatus: 'pending',
              reason: 'no host response in time',
            }),
          )
        ).id;
      });
      if (eventId) eventIds.push(eventId);
    }
    await enqueueEvents(ctx, eventIds);
    expired += eventIds.length;
    if (due.length < BATCH) return expired;
  }
}
