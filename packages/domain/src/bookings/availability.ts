import { conflict } from '@bellhop/errors';
import type { Tx } from '../events/record-event';

/**
 * Locks the property row so concurrent bookings of one property serialise, then refuses a stay
 * overlapping a confirmed or started booking. Call inside the transaction that writes.
 */
export async function assertDatesAvailable(
  tx: Tx,
  stay: { propertyId: string; checkIn: Date; checkOut: Date; exceptBookingId?: string },
): Promise<void> {
  await tx.$queryRaw`SELECT id FROM properties WHERE id = ${stay.propertyId} FOR UPDATE`;
  const clash = await tx.booking.findFirst({
    where: {
      propertyId: stay.propertyId,
      status: { in: ['confirmed', 'started'] },
      checkIn: { lt: stay.checkOut },
      checkOut: { gt: stay.checkIn },
      ...(stay.exceptBookingId ? { id: { not: stay.exceptBookingId } } : {}),
    },
    select: { id: true },
  });
  if (clash)
    throw conflict('The property is already booked for some of these dates', 'dates_unavailable', {
      field: 'check_in',
      conflicting_booking_id: clash.id,
    });
}
