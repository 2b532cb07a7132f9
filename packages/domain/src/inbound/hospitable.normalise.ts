import type { BookingStatus } from '@bellhop/db';
import { amountFromCents, calendarDay, centsFromMinor, channelId, currencyCode } from './channel-values';
import type { InboundChange } from './inbound.types';
import { need, requireValues, type Place } from './required-values';

/** Hospitable `reservation_status.current.category` → booking status; unknown is left unchanged. */
export const HOSPITABLE_STATUS: Record<string, BookingStatus | null> = {
  request: 'pending',
  accepted: 'confirmed',
  cancelled: 'cancelled',
  'not accepted': 'declined',
  unknown: null,
};

export const HOSPITABLE_ACTIONS = [
  'reservation.created',
  'reservation.changed',
  'reservation.updated',
  'property.created',
  'property.changed',
  'property.deleted',
  'property.merged',
  'message.created',
  'review.created',
  'integration.disconnected',
];

type Json = Record<string, any>;
// JSON values other than strings read as their JSON: an object as such rather than "[object Object]".
const text = (v: unknown) =>
  v === null || v === undefined || v === '' ? null : typeof v === 'string' ? v : JSON.stringify(v);

// Source: Hospitable Public API v2 webhooks spec (developer.hospitable.com; ReservationFull,
// FinancialsV2, Property, Review). Money is `{amount, formatted}` in minor units (12345 = 123.45);
// arrival/departure are date-times at the property's offset ("2027-04-02T16:00:00-04:00"): the local day counts.
const minor = (money: Json | undefined) => centsFromMinor(money?.amount);

function address(a: Json | string | undefined): string | null {
  if (!a) return null;
  if (typeof a === 'string') return a;
  return text(a.display) ?? ([a.street, a.city, a.country].filter(Boolean).join(', ') || null);
}

function reservation(data: Json): InboundChange {
  const category = String(data.reservation_status?.current?.category ?? data.status ?? 'unknown');
  const status = HOSPITABLE_STATUS[category];
  if (!status) return { kind: 'ignored', reason: `Hospitable reservation status ${category}` };
  const property = data.properties?.[0] ?? {};
  const financials = data.financials ?? {};
  const found = requireValues(`reservation ${text(data.id) ?? '(no id)'}`, {
    externalId: need('reservation id', ['id', () => channelId(data.id)]),
    // What the guest paid. The host's revenue is another amount (after fees): without the guest's, fail rather than store it as the total.
    total: need('total price', ['financials.guest.total_price', () => minor(financials.guest?.total_price)]),
    currency: need(
      'currency',
      ['financials.currency', () => currencyCode(financials.currency)],
      ['financials.guest.total_price.currency', () => currencyCode(financials.guest?.total_price?.currency)],
      ['properties[0].currency', () => currencyCode(property.currency)],
    ),
    checkIn: need(
      'check-in date',
      ['arrival_date', () => calendarDay(data.arrival_date)],
      ['check_in', () => calendarDay(data.check_in)],
    ),
    checkOut: need(
      'check-out date',
      ['departure_date', () => calendarDay(data.departure_date)],
      ['check_out', () => calendarDay(data.check_out)],
    ),
    // The property (not a channel listing) is what property.* webhooks are keyed by; included with the property:read scope.
    listingId: need('listing id', ['properties[0].id', () => channelId(property.id)]),
  });
  const guest = data.guest ?? {};
  return {
    kind: 'reservation',
    reservation: {
      externalId: found.externalId,
      externalStatus: category,
      status,
      guestName: [guest.first_name, guest.last_name].filter(Boolean).join(' ') || 'Guest',
      guestEmail: text(guest.email),
      guestPhone: text(guest.phone_numbers?.[0]),
      guests: Math.max(1, Number(data.guests?.total ?? 1)),
      checkIn: found.checkIn,
      checkOut: found.checkOut,
      totalAmount: amountFromCents(found.total),
      currency: found.currency,
      property: {
        externalId: found.listingId,
        title: text(property.public_name ?? property.name) ?? undefined,
        address: address(property.address) ?? undefined,
      },
    },
  };
}

/** property.merged names the property that goes away `previous_id` and the one it became `new_id`; the others name it `id`. */
function property(action: 'created' | 'updated' | 'deleted' | 'merged', data: Json): InboundChange {
  const place: Place<string> =
    action === 'merged' ? ['previous_id', () => channelId(data.previous_id)] : ['id', () => channelId(data.id)];
  const { externalId } = requireValues('property', { externalId: need('property id', place) });
  const changed = {
    externalId,
    title: text(data.public_name ?? data.name) ?? undefined,
    address: address(data.address),
  };
  return action === 'merged'
    ? { kind: 'property', action, property: changed, mergedInto: text(data.new_id) ?? undefined }
    : { kind: 'property', action, property: changed };
}

/** `{id, action, data, created, version, triggers?}` → what it means for us. */
export function normaliseHospitable(body: Json): InboundChange {
  const data: Json = body.data ?? {};
  switch (body.action) {
    case 'reservation.created':
    case 'reservation.changed':
    case 'reservation.updated':
      return reservation(data);
    case 'property.created':
    case 'property.changed':
    case 'property.deleted':
    case 'property.merged': {
      const action = (
        {
          'property.created': 'created',
          'property.changed': 'updated',
          'property.deleted': 'deleted',
          'property.merged': 'merged',
        } as const
      )[body.action as string]!;
      return property(action, data);
    }
    case 'message.created': {
      if (data.sender_type && data.sender_type !== 'guest')
        return { kind: 'ignored', reason: `message from ${data.sender_type}` };
      // The v2 Message schema has no id of its own but the platform's message id; without either, the webhook's.
      const externalId = text(data.id) ?? (data.platform_id ? `${data.platform}:${data.platform_id}` : String(body.id));
      return {
        kind: 'message',
        externalId,
        reservationExternalId: text(data.reservation_id),
        conversationId: text(data.conversation_id),
        sender: 'guest',
        body: String(data.body ?? ''),
      };
    }
    case 'review.created': {
      const { externalId } = requireValues('review', {
        externalId: need('review id', ['id', () => channelId(data.id)]),
      });
      // The v2 Review schema names its reservation as `reservation: {id, code, check_in, check_out}`.
      return {
        kind: 'review',
        externalId,
        reservationExternalId: text(data.reservation?.id),
        rating: data.public?.rating ?? data.rating ?? null,
        body: String(data.public?.review ?? data.review ?? ''),
      };
    }
    case 'integration.disconnected':
      return { kind: 'disconnected' };
    default:
      return { kind: 'ignored', reason: `unknown Hospitable action ${body.action ?? '(none)'}` };
  }
}
