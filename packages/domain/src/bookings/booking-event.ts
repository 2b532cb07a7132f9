import type { Booking, BookingStatus } from '@bellhop/db';
import type { EventInput } from '../events/record-event';
import { fromDateColumn } from './booking.schema';

/** The event a booking change records: the agreed booking data shape, linked to host, booking and property. */
export function bookingEvent(type: string, booking: Booking, extra: { previousStatus?: BookingStatus; reason?: string | null; requestId?: string | null; sourceKeyId?: string | null } = {}): EventInput {
  return {
    type,
    hostId: booking.hostId,
    bookingId: booking.id,
    propertyId: booking.propertyId,
    requestId: extra.requestId ?? null,
    sourceKeyId: extra.sourceKeyId ?? null,
    data: {
      booking_id: booking.id,
      property_id: booking.propertyId,
      host_id: booking.hostId,
      status: booking.status,
      ...(extra.previousStatus ? { previous_status: extra.previousStatus } : {}),
      guest_name: booking.guestName,
      check_in: fromDateColumn(booking.checkIn),
      check_out: fromDateColumn(booking.checkOut),
      guests: booking.guests,
      total_amount: Number(booking.totalAmount),
      currency: booking.currency,
      ...(extra.reason ? { reason: extra.reason } : {}),
      source_channel: booking.sourceChannel,
    },
  };
}
