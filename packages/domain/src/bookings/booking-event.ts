import type { Booking, BookingStatus } from '@bellhop/db';
import type { ActingAgent } from '../access/agents';
import type { EventInput, RequestOrigin } from '../events/record-event';
import { fromDateColumn } from './booking.schema';

export interface BookingEventExtra extends RequestOrigin {
  previousStatus?: BookingStatus;
  reason?: string | null;
  agent?: ActingAgent;
  connectionId?: string;
}

/**
 * The event a booking change records: the agreed booking data shape, linked to host, booking and
 * property, and to who made the change (an agent and its key, or a channel connection).
 */
export function bookingEvent(type: string, booking: Booking, extra: BookingEventExtra = {}): EventInput {
  return {
    type,
    hostId: booking.hostId,
    bookingId: booking.id,
    propertyId: booking.propertyId,
    requestId: extra.requestId ?? null,
    trace: extra.trace,
    sourceAgentId: extra.agent?.id ?? null,
    sourceKeyId: extra.agent?.keyId ?? null,
    sourceConnectionId: extra.connectionId ?? null,
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
      // Lets an agent match the booking to the channel's own reservation.
      source: { channel: booking.sourceChannel, external_id: booking.externalId },
    },
  };
}
