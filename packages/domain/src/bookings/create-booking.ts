import type { Booking } from '@bellhop/db';
import { EVENT, newId } from '@bellhop/events';
import { invalid, notFound } from '@bellhop/errors';
import type { ActingAgent } from '../access/agents';
import { hostsActedForBy } from '../access/host-scope';
import type { DomainContext } from '../context';
import { enqueueEvents, insertEvent, type RequestOrigin } from '../events/record-event';
import { assertDatesAvailable } from './availability';
import { bookingEvent } from './booking-event';
import { toDateColumn, type CreateBookingInput } from './booking.schema';

/**
 * Creates a pending booking that expires after HOST_RESPONSE_WINDOW, recording booking.created
 * and host.response_needed in the same transaction.
 */
export async function createBooking(
  ctx: DomainContext,
  agent: ActingAgent,
  input: CreateBookingInput,
  origin: RequestOrigin = {},
): Promise<Booking> {
  const checkIn = toDateColumn(input.check_in);
  const checkOut = toDateColumn(input.check_out);
  if (checkOut <= checkIn)
    throw invalid('check_out must be after check_in', [{ field: 'check_out', message: 'must be after check_in' }]);
  // A property of a host the agent does not act for is as missing as one that never existed.
  const property = await ctx.db.property.findFirst({
    where: { id: input.property_id, deletedAt: null, host: hostsActedForBy(agent) },
  });
  if (!property) throw notFound('Property', [{ field: 'property_id', message: 'no such property' }]);
  const expiresAt = new Date(Date.now() + ctx.config.HOST_RESPONSE_WINDOW);
  const { booking, eventIds } = await ctx.db.$transaction(async (tx) => {
    await assertDatesAvailable(tx, { propertyId: property.id, checkIn, checkOut });
    const booking = await tx.booking.create({
      data: {
        id: newId('booking'),
        propertyId: property.id,
        hostId: property.hostId,
        guestName: input.guest_name,
        guestEmail: input.guest_email,
        guestPhone: input.guest_phone ?? null,
        guests: input.guests,
        checkIn,
        checkOut,
        totalAmount: input.total_amount,
        currency: input.currency,
        specialRequests: input.special_requests ?? null,
        expiresAt,
      },
    });
    const created = await insertEvent(tx, bookingEvent(EVENT.bookingCreated, booking, { agent, ...origin }));
    const needed = await insertEvent(tx, {
      type: EVENT.hostResponseNeeded,
      hostId: booking.hostId,
      bookingId: booking.id,
      propertyId: booking.propertyId,
      requestId: origin.requestId ?? null,
      trace: origin.trace,
      sourceAgentId: agent.id,
      sourceKeyId: agent.keyId ?? null,
      data: {
        booking_id: booking.id,
        property_id: booking.propertyId,
        host_id: booking.hostId,
        expires_at: expiresAt.toISOString(),
      },
    });
    return { booking, eventIds: [created.id, needed.id] };
  });
  await enqueueEvents(ctx, eventIds, origin.requestId);
  return booking;
}
