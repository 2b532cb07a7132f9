import type { Booking } from '@bellhop/db';
import { fromDateColumn, type BookingWithProperty } from '@bellhop/domain';

/** A booking as the API shows it (snake_case, dates YYYY-MM-DD, money as a number). */
export function presentBooking(b: Booking) {
  return {
    id: b.id,
    property_id: b.propertyId,
    host_id: b.hostId,
    status: b.status,
    status_reason: b.statusReason,
    guest_name: b.guestName,
    guest_email: b.guestEmail,
    guest_phone: b.guestPhone,
    guests: b.guests,
    check_in: fromDateColumn(b.checkIn),
    check_out: fromDateColumn(b.checkOut),
    total_amount: Number(b.totalAmount),
    currency: b.currency,
    special_requests: b.specialRequests,
    source_channel: b.sourceChannel,
    expires_at: b.expiresAt?.toISOString() ?? null,
    confirmed_at: b.confirmedAt?.toISOString() ?? null,
    created_at: b.createdAt.toISOString(),
    updated_at: b.updatedAt.toISOString(),
  };
}

export function presentPendingBooking(b: BookingWithProperty) {
  return {
    ...presentBooking(b),
    property: { id: b.property.id, title: b.property.title, address: b.property.address },
  };
}

export function presentBookingStatus(b: Booking) {
  return {
    booking_id: b.id,
    status: b.status,
    created_at: b.createdAt.toISOString(),
    updated_at: b.updatedAt.toISOString(),
    confirmed_at: b.confirmedAt?.toISOString() ?? null,
    total_amount: Number(b.totalAmount),
  };
}
