import type { Event } from '@bellhop/db';

/** The webhook body, built only from the event row so every attempt sends identical bytes. */
export function deliveryBody(event: Event): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    event_type: event.type,
    timestamp: event.createdAt.toISOString(),
    booking_id: event.bookingId,
    property_id: event.propertyId,
    host_id: event.hostId,
    data: event.data,
  });
}
