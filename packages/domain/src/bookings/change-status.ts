import type { Booking, BookingStatus } from '@bellhop/db';
import { bookingStatusEvent } from '@bellhop/events';
import { conflict } from '@bellhop/errors';
import type { ActingAgent } from '../access/agents';
import type { DomainContext } from '../context';
import { enqueueEvents, insertEvent, type RequestOrigin } from '../events/record-event';
import { assertDatesAvailable } from './availability';
import { bookingEvent } from './booking-event';
import { findBookingForAgent } from './booking-queries';
import { assertTransition } from './status-machine';

export interface StatusChange {
  to: BookingStatus;
  reason?: string | null;
  now?: Date;
}

/**
 * Moves a booking along the state machine. Compare-and-set on the current status, in one
 * transaction with its booking.<status> event: of two concurrent changes one wins, one gets 409.
 */
export async function changeBookingStatus(
  ctx: DomainContext,
  agent: ActingAgent,
  bookingId: string,
  change: StatusChange,
  origin: RequestOrigin = {},
): Promise<Booking> {
  const current = await findBookingForAgent(ctx, agent, bookingId);
  assertTransition(current.status, change.to);
  const now = change.now ?? new Date();
  const updated = await ctx.db.$transaction(async (tx) => {
    if (change.to === 'confirmed') {
      await assertDatesAvailable(tx, {
        propertyId: current.propertyId,
        checkIn: current.checkIn,
        checkOut: current.checkOut,
        exceptBookingId: current.id,
      });
    }
    const { count } = await tx.booking.updateMany({
      where: { id: current.id, status: current.status },
      data: {
        status: change.to,
        statusReason: change.reason ?? null,
        ...(change.to === 'confirmed' ? { confirmedAt: now } : {}),
      },
    });
    if (count === 0)
      throw conflict('The booking changed status meanwhile; read it again and retry', 'status_conflict', {
        expected: current.status,
      });
    const booking = await tx.booking.findUniqueOrThrow({ where: { id: current.id } });
    const event = await insertEvent(
      tx,
      bookingEvent(bookingStatusEvent(change.to), booking, {
        agent,
        ...origin,
        previousStatus: current.status,
        reason: change.reason,
      }),
    );
    return { booking, eventId: event.id };
  });
  await enqueueEvents(ctx, [updated.eventId], origin.requestId);
  return updated.booking;
}

/** Confirms a booking on the host's behalf when the host turned auto-approve on; 409 otherwise. */
export async function autoApproveBooking(
  ctx: DomainContext,
  agent: ActingAgent,
  bookingId: string,
  origin: RequestOrigin = {},
): Promise<Booking> {
  const booking = await findBookingForAgent(ctx, agent, bookingId);
  const host = await ctx.db.host.findUniqueOrThrow({
    where: { id: booking.hostId },
    select: { autoApproveBookings: true },
  });
  if (!host.autoApproveBookings)
    throw conflict('The host has not enabled auto-approval of bookings', 'auto_approve_disabled');
  return changeBookingStatus(ctx, agent, bookingId, { to: 'confirmed', reason: 'auto-approved' }, origin);
}
