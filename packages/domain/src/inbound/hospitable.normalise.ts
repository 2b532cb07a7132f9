import type { BookingStatus } from '@bellhop/db';
import type { InboundChange } from './inbound.types';

/** Hospitable `reservation_status.current.category` → booking status; unknown is left unchanged. */
export const HOSPITABLE_STATUS: Record<string, BookingStatus | null> = {
  request: 'pending', accepted: 'confirmed', cancelled: 'cancelled', 'not accepted': 'declined', unknown: null,
};

export const HOSPITABLE_ACTIONS = [
  'reservation.created', 'reservation.changed', 'reservation.updated',
  'property.created', 'property.changed', 'property.deleted', 'property.merged',
  'message.created', 'review.created', 'integration.disconnected',
];

type Json = Record<string, any>;
const text = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
// Arrival/departure carry the property's local offset ("2026-12-18T16:00:00-05:00"): keep the local calendar day.
const day = (v: unknown) => String(v ?? '').slice(0, 10);
// Hospitable money is in minor units: 64050 = 640.50.
const fromMinor = (v: unknown) => Math.round(Number(v ?? 0)) / 100;

function address(a: Json | string | undefined): string | null {
  if (!a) return null;
  if (typeof a === 'string') return a;
  return text(a.display) ?? ([a.street, a.city, a.country].filter(Boolean).join(', ') || null);
}

function reservation(data: Json): InboundChange {
  const category = String(data.reservation_status?.current?.category ?? data.status ?? 'unknown');
  const status = HOSPITABLE_STATUS[category];
  if (!status) return { kind: 'ignored', reason: `Hospitable reservation status ${category}` };
  const property = data.properties?.[0] ?? { id: data.property_id };
  const guest = data.guest ?? {};
  const price = data.financials?.guest?.total_price ?? {};
  return {
    kind: 'reservation',
    reservation: {
      externalId: String(data.id), externalStatus: category, status,
      guestName: [guest.first_name, guest.last_name].filter(Boolean).join(' ') || 'Guest',
      guestEmail: text(guest.email), guestPhone: text(guest.phone_numbers?.[0]),
      guests: Math.max(1, Number(data.guests?.total ?? 1)),
      checkIn: day(data.arrival_date ?? data.check_in), checkOut: day(data.departure_date ?? data.check_out),
      totalAmount: fromMinor(price.amount), currency: String(price.currency ?? 'USD').toUpperCase(),
      property: { externalId: String(property.id), title: text(property.public_name ?? property.name) ?? undefined, address: address(property.address) ?? undefined },
    },
  };
}

/** `{id, action, data, created, version, triggers?}` → what it means for us. */
export function normaliseHospitable(body: Json): InboundChange {
  const data: Json = body.data ?? {};
  switch (body.action) {
    case 'reservation.created': case 'reservation.changed': case 'reservation.updated': return reservation(data);
    case 'property.created': case 'property.changed': case 'property.deleted': case 'property.merged': {
      const action = ({ 'property.created': 'created', 'property.changed': 'updated', 'property.deleted': 'deleted', 'property.merged': 'merged' } as const)[body.action as string]!;
      return { kind: 'property', action, property: { externalId: String(data.id), title: text(data.public_name ?? data.name) ?? undefined, address: address(data.address) }, mergedInto: text(data.merged_into_id ?? data.merged_into) ?? undefined };
    }
    case 'message.created':
      if (data.sender_type && data.sender_type !== 'guest') return { kind: 'ignored', reason: `message from ${data.sender_type}` };
      return { kind: 'message', externalId: String(data.id ?? body.id), reservationExternalId: text(data.reservation_id), conversationId: text(data.conversation_id), sender: 'guest', body: String(data.body ?? '') };
    case 'review.created':
      // The v2 Review schema names its reservation as `reservation: {id, code, check_in, check_out}`.
      return { kind: 'review', externalId: String(data.id), reservationExternalId: text(data.reservation?.id), rating: data.public?.rating ?? data.rating ?? null, body: String(data.public?.review ?? data.review ?? '') };
    case 'integration.disconnected': return { kind: 'disconnected' };
    default: return { kind: 'ignored', reason: `unknown Hospitable action ${body.action ?? '(none)'}` };
  }
}
