import type { BookingStatus } from '@bellhop/db';
import type { InboundChange } from './inbound.types';

/** Hostaway reservation status → booking status; null = not a guest booking we track. */
export const HOSTAWAY_STATUS: Record<string, BookingStatus | null> = {
  new: 'confirmed', modified: 'confirmed',
  pending: 'pending', awaitingPayment: 'pending', inquiry: 'pending', inquiryPreapproved: 'pending', unconfirmed: 'pending',
  cancelled: 'cancelled', canceled: 'cancelled',
  declined: 'declined', inquiryDenied: 'declined',
  expired: 'expired', inquiryTimedout: 'expired',
  ownerStay: null,
};

export const HOSTAWAY_EVENTS = ['reservation.created', 'reservation.updated', 'message.received', 'listing.created', 'listing.updated', 'listing.deleted'];

type Json = Record<string, any>;
const text = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
// Hostaway dates come as "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" without a zone: the calendar day is what counts.
const day = (v: unknown) => String(v ?? '').slice(0, 10);

/** `{object, event, accountId, data}`, or the variant with `payload.data`. */
export function hostawayEnvelope(body: Json): { event: string | null; data: Json } {
  const event = text(body.event) ?? (body.object && body.eventType ? `${body.object}.${body.eventType}` : null);
  return { event, data: body.data ?? body.payload?.data ?? {} };
}

export function normaliseHostaway(body: Json): InboundChange {
  const { event, data } = hostawayEnvelope(body);
  if (event === 'reservation.created' || event === 'reservation.updated') {
    const externalStatus = String(data.status ?? 'new');
    if (!(externalStatus in HOSTAWAY_STATUS)) return { kind: 'ignored', reason: `unknown Hostaway status ${externalStatus}` };
    const status = HOSTAWAY_STATUS[externalStatus];
    if (status === null) return { kind: 'ignored', reason: `Hostaway status ${externalStatus} is not a guest booking` };
    const guestName = text(data.guestName) ?? ([data.guestFirstName, data.guestLastName].filter(Boolean).join(' ') || 'Guest');
    return {
      kind: 'reservation',
      reservation: {
        externalId: String(data.id), externalStatus, status, guestName,
        guestEmail: text(data.guestEmail), guestPhone: text(data.phone ?? data.guestPhone),
        guests: Math.max(1, Number(data.numberOfGuests ?? data.adults ?? 1)),
        checkIn: day(data.arrivalDate), checkOut: day(data.departureDate),
        totalAmount: Math.round(Number(data.totalPrice ?? 0) * 100) / 100,
        currency: String(data.currency ?? 'USD').toUpperCase(),
        property: { externalId: String(data.listingMapId), title: text(data.listingName) ?? undefined },
      },
    };
  }
  if (event === 'message.received') {
    // isIncoming is 0/1: only guest → host messages notify the host.
    if (Number(data.isIncoming ?? 1) !== 1) return { kind: 'ignored', reason: 'outgoing message' };
    return { kind: 'message', externalId: String(data.id), reservationExternalId: text(data.reservationId), conversationId: text(data.conversationId), sender: 'guest', body: String(data.body ?? '') };
  }
  if (event?.startsWith('listing.')) {
    const action = ({ 'listing.created': 'created', 'listing.updated': 'updated', 'listing.deleted': 'deleted' } as const)[event];
    if (!action) return { kind: 'ignored', reason: `unknown Hostaway event ${event}` };
    const address = text(data.address) ?? ([data.street, data.city, data.country].filter(Boolean).join(', ') || null);
    return { kind: 'property', action, property: { externalId: String(data.id), title: text(data.name) ?? undefined, address } };
  }
  return { kind: 'ignored', reason: `unknown Hostaway event ${event ?? '(none)'}` };
}
