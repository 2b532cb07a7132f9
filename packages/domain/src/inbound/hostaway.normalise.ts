import type { BookingStatus } from '@bellhop/db';
import { amountFromCents, calendarDay, centsFromMajor, channelId, currencyCode } from './channel-values';
import type { InboundChange } from './inbound.types';
import { need, requireValues, UnreadableValue, type Place } from './required-values';

/** Hostaway reservation status → booking status; null = not a guest booking we track. */
export const HOSTAWAY_STATUS: Record<string, BookingStatus | null> = {
  new: 'confirmed',
  modified: 'confirmed',
  pending: 'pending',
  awaitingPayment: 'pending',
  inquiry: 'pending',
  inquiryPreapproved: 'pending',
  unconfirmed: 'pending',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  declined: 'declined',
  inquiryDenied: 'declined',
  expired: 'expired',
  inquiryTimedout: 'expired',
  ownerStay: null,
};

export const HOSTAWAY_EVENTS = [
  'reservation.created',
  'reservation.updated',
  'message.received',
  'listing.created',
  'listing.updated',
  'listing.deleted',
];

type Json = Record<string, any>;
// JSON values other than strings read as their JSON: an object as such rather than "[object Object]".
const text = (v: unknown) =>
  v === null || v === undefined || v === '' ? null : typeof v === 'string' ? v : JSON.stringify(v);

// Sources: Hostaway Public API docs (api.hostaway.com/documentation), "Reservation object" and
// "Finance fields"; support article 360053265374 ("Reservations breakdown": the Total Price is
// what the guest paid). Booleans are 0/1; dates "YYYY-MM-DD" (or with a zone-less time: the day counts).

/** Finance fields still in force (a deleted one keeps its row with isDeleted = 1). */
const financeFields = (data: Json): Json[] =>
  (Array.isArray(data.financeField) ? data.financeField : []).filter((f: Json) => f && Number(f.isDeleted) !== 1);

/** The total the channel reported, kept by Hostaway as the finance field `totalPriceFromChannel`. */
const totalFromChannel = (data: Json) =>
  centsFromMajor(financeFields(data).find((f) => f.name === 'totalPriceFromChannel')?.total);

/** The sum totalPrice is made of: every finance field with isIncludedInTotalPrice = 1 (its amount is `total`). */
function includedInTotal(data: Json): bigint | undefined {
  const included = financeFields(data).filter((f) => Number(f.isIncludedInTotalPrice) === 1);
  if (!included.length) return undefined;
  return included.reduce((sum, f) => {
    const cents = centsFromMajor(f.total);
    if (cents === undefined) throw new UnreadableValue(`${f.name ?? 'a field'} has no total`);
    return sum + cents;
  }, 0n);
}

/** Hostaway sets both dates to yesterday when the channel gave none (isDatesUnspecified = 1): not the stay's dates. */
function stayDay(data: Json, field: 'arrivalDate' | 'departureDate'): Place<string> {
  const unspecified = Number(data.isDatesUnspecified) === 1;
  return unspecified ? [`${field} (isDatesUnspecified = 1)`, () => undefined] : [field, () => calendarDay(data[field])];
}

function reservation(data: Json): InboundChange {
  const externalStatus = String(data.status ?? 'new');
  if (!(externalStatus in HOSTAWAY_STATUS))
    return { kind: 'ignored', reason: `unknown Hostaway status ${externalStatus}` };
  const status = HOSTAWAY_STATUS[externalStatus];
  if (status === null) return { kind: 'ignored', reason: `Hostaway status ${externalStatus} is not a guest booking` };
  const found = requireValues(`reservation ${text(data.id) ?? '(no id)'}`, {
    externalId: need('reservation id', ['id', () => channelId(data.id)]),
    total: need(
      'total price',
      ['totalPrice', () => centsFromMajor(data.totalPrice)],
      ['financeField totalPriceFromChannel', () => totalFromChannel(data)],
      ['financeField isIncludedInTotalPrice', () => includedInTotal(data)],
    ),
    currency: need('currency', ['currency', () => currencyCode(data.currency)]),
    checkIn: need('check-in date', stayDay(data, 'arrivalDate')),
    checkOut: need('check-out date', stayDay(data, 'departureDate')),
    listingId: need('listing id', ['listingMapId', () => channelId(data.listingMapId)]),
  });
  return {
    kind: 'reservation',
    reservation: {
      externalId: found.externalId,
      externalStatus,
      status,
      guestName:
        text(data.guestName) ?? ([data.guestFirstName, data.guestLastName].filter(Boolean).join(' ') || 'Guest'),
      guestEmail: text(data.guestEmail),
      guestPhone: text(data.phone ?? data.guestPhone),
      guests: Math.max(1, Number(data.numberOfGuests ?? data.adults ?? 1)),
      checkIn: found.checkIn,
      checkOut: found.checkOut,
      totalAmount: amountFromCents(found.total),
      currency: found.currency,
      property: { externalId: found.listingId, title: text(data.listingName) ?? undefined },
    },
  };
}

/** `{object, event, accountId, data}`, or the variant with `payload.data`. */
export function hostawayEnvelope(body: Json): { event: string | null; data: Json } {
  const event = text(body.event) ?? (body.object && body.eventType ? `${body.object}.${body.eventType}` : null);
  return { event, data: body.data ?? body.payload?.data ?? {} };
}

export function normaliseHostaway(body: Json): InboundChange {
  const { event, data } = hostawayEnvelope(body);
  if (event === 'reservation.created' || event === 'reservation.updated') return reservation(data);
  if (event === 'message.received') {
    // isIncoming is 0/1: only guest → host messages notify the host.
    if (Number(data.isIncoming ?? 1) !== 1) return { kind: 'ignored', reason: 'outgoing message' };
    const { externalId } = requireValues('message', {
      externalId: need('message id', ['id', () => channelId(data.id)]),
    });
    return {
      kind: 'message',
      externalId,
      reservationExternalId: text(data.reservationId),
      conversationId: text(data.conversationId),
      sender: 'guest',
      body: String(data.body ?? ''),
    };
  }
  if (event?.startsWith('listing.')) {
    const action = (
      { 'listing.created': 'created', 'listing.updated': 'updated', 'listing.deleted': 'deleted' } as const
    )[event];
    if (!action) return { kind: 'ignored', reason: `unknown Hostaway event ${event}` };
    const address = text(data.address) ?? ([data.street, data.city, data.country].filter(Boolean).join(', ') || null);
    const { externalId } = requireValues('listing', {
      externalId: need('listing id', ['id', () => channelId(data.id)]),
    });
    return { kind: 'property', action, property: { externalId, title: text(data.name) ?? undefined, address } };
  }
  return { kind: 'ignored', reason: `unknown Hostaway event ${event ?? '(none)'}` };
}
