import type { Booking } from '@bellhop/db';
import { bookingStatusEvent, EVENT, newId } from '@bellhop/events';
import { toDateColumn, fromDateColumn } from '../bookings/booking.schema';
import { bookingEvent } from '../bookings/booking-event';
import { insertEvent, type Tx } from '../events/record-event';
import { channelKey, lockChannelRecord, upsertChannelProperty, type Channel } from './apply-property';
import type { NormalisedReservation } from './inbound.types';

/** The fields whose change is a booking.updated (status changes have their own events). */
function details(r: NormalisedReservation, propertyId: string) {
  return {
    propertyId,
    guestName: r.guestName,
    guestEmail: r.guestEmail,
    guestPhone: r.guestPhone,
    guests: r.guests,
    checkIn: r.checkIn,
    checkOut: r.checkOut,
    totalAmount: r.totalAmount,
    currency: r.currency,
  };
}
const detailsOf = (b: Booking) => ({
  propertyId: b.propertyId,
  guestName: b.guestName,
  guestEmail: b.guestEmail,
  guestPhone: b.guestPhone,
  guests: b.guests,
  checkIn: fromDateColumn(b.checkIn),
  checkOut: fromDateColumn(b.checkOut),
  totalAmount: Number(b.totalAmount),
  currency: b.currency,
});

/**
 * Upserts the Booking a channel reservation maps to. The channel is the record for its own
 * reservations, so its status is taken as is (no state machine), and events are recorded only
 * for what really changed: booking.created, booking.updated, booking.<status>.
 */
export async function applyReservation(
  tx: Tx,
  channel: Channel,
  r: NormalisedReservation,
  eventIds: string[],
): Promise<void> {
  const status = r.status;
  const property = await upsertChannelProperty(tx, channel, r.property, eventIds);
  const wanted = details(r, property.id);
  const columns = {
    ...wanted,
    checkIn: toDateColumn(r.checkIn),
    checkOut: toDateColumn(r.checkOut),
    externalStatus: r.externalStatus,
  };
  await lockChannelRecord(tx, 'bookings', channel, r.externalId);
  const existing = await tx.booking.findUnique({ where: channelKey(channel, r.externalId) });
  const caller = { requestId: channel.requestId, trace: channel.trace, connectionId: channel.connectionId };
  if (!existing) {
    const created = await tx.booking.create({
      data: {
        id: newId('booking'),
        hostId: property.hostId,
        status,
        sourceChannel: channel.provider,
        externalId: r.externalId,
        confirmedAt: status === 'confirmed' ? new Date() : null,
        ...columns,
      },
    });
    eventIds.push((await insertEvent(tx, bookingEvent(EVENT.bookingCreated, created, caller))).id);
    if (status !== 'pending')
      eventIds.push(
        (
          await insertEvent(
            tx,
            bookingEvent(bookingStatusEvent(status), created, { ...caller, previousStatus: 'pending' }),
          )
        ).id,
      );
    return;
  }
  const detailsChanged = JSON.stringify(detailsOf(existing)) !== JSON.stringify(wanted);
  const statusChanged = existing.status !== status;
  if (!detailsChanged && !statusChanged && existing.externalStatus === r.externalStatus) return;
  const updated = await tx.booking.update({
    where: { id: existing.id },
    data: { ...columns, status, ...(statusChanged && status === 'confirmed' ? { confirmedAt: new Date() } : {}) },
  });
  if (detailsChanged) eventIds.push((await insertEvent(tx, bookingEvent(EVENT.bookingUpdated, updated, caller))).id);
  if (statusChanged)
    eventIds.push(
      (
        await insertEvent(
          tx,
          bookingEvent(bookingStatusEvent(status), updated, { ...caller, previousStatus: existing.status }),
        )
      ).id,
    );
}
