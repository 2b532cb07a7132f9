import type { Booking, BookingStatus } from '@bellhop/db';
import { bookingStatusEvent } from '@bellhop/events';
import { conflict, notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';
import { enqueueEvents, insertEvent } from '../events/record-event';
import { assertDatesAvailable } from './availability';
import { bookingEvent } from './booking-event';
import type { CallerInfo } from './create-booking';
import { assertTransition } from './status-machine';

export interface StatusChange { to: BookingStatus; reason?: string | null; now?: Date }

/**
 * Moves a booking along the state machine. Compare-and-set on the current status, in one
 * transaction with its booking.<status> event: of two concurrent changes one wins, one gets 409.
 */
export async function changeBookingStatus(ctx: DomainContext, bookingId: string, change: StatusChange, caller: CallerInfo = {}): Promise<Booking> {
  const current = await ctx.db.booking.findUnique({ where: { id: bookingId } });
  if (!current) throw notFound('Booking');
  assertTransition(current.status, change.to);
  const now = change.now ?? new Date();
  const updated = await ctx.db.$transaction(async (tx) => {
    if (change.to === 'confirmed') {
      await assertDatesAvailable(tx, { propertyId: current.propertyId, checkIn: current.checkIn, checkOut: current.checkOut, exceptBookingId: current.id });
    }
    const { count } = await tx.booking.updateMany({
      where: { id: current.id, status: current.status },
      data: { status: change.to, statusReason: change.reason ?? null, ...(change.to === 'confirmed' ? { confirmedAt: now } : {}) },
    });
    if (count === 0) throw conflict('The booking changed status meanwhile; read it again and retry', 'status_conflict', { expected: current.status });
    const booking = await tx.booking.findUniqueOrThrow({ where: { id: current.id } });
    const event = await insertEvent(tx, bookingEvent(bookingStatusEvent(change.to), booking, { ...caller, previousStatus: current.status, reason: change.reason }));
    return { booking, eventId: event.id };
  });
  await enqueueEvents(ctx, [updated.eventId], caller.requestId);
  return updated.booking;
}

/** Confirms a booking on the host's behalf when the host turned auto-approve on; 409 otherwise. */
export async function autoApproveBooking(ctx: DomainContext, bookingId: string, caller: CallerInfo = {}): Promise<Booking> {
  const booking = await ctx.db.booking.findUnique({ where: { id: bookingId }, include: { host: { select: { autoApproveBookings: true } } } });
  if (!booking) throw notFound('Booking');
  if (!booking.host.autoApproveBookings) throw conflict('The host has not enabled auto-approval of bookings', 'auto_approve_disabled');
  return changeBookingStatus(ctx, bookingId, { to: 'confirmed', reason: 'auto-approved' }, caller);
}
