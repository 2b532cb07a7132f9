import { newId } from '@bellhop/events';
import { createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import type { ActingAgent } from '../access/agents';
import { changeBookingStatus } from './change-status';
import { createBooking } from './create-booking';
import { expirePendingBookings } from './expire-bookings';

let env: TestEnv;
let platform: ActingAgent;
beforeAll(async () => {
  env = await createTestEnv({ HOST_RESPONSE_WINDOW: '1h' });
  platform = (await createAgentKey(env.ctx)).agent;
});
afterAll(async () => {
  await env.close();
});

async function pendingBooking(checkIn: string, checkOut: string) {
  const host = await createHostWithToken(env.ctx);
  const property = await env.ctx.db.property.create({
    data: { id: newId('property'), hostId: host.hostId, title: 'Seaside Loft' },
  });
  return createBooking(env.ctx, platform, {
    property_id: property.id,
    guest_name: 'Ada Lovelace',
    guest_email: 'ada@guest.example',
    check_in: checkIn,
    check_out: checkOut,
    guests: 2,
    total_amount: 300,
    currency: 'USD',
  });
}

describe('expirePendingBookings', () => {
  it('expires pending bookings past expires_at once, with booking.expired and a host notification', async () => {
    const due = await pendingBooking('2027-07-01', '2027-07-03');
    const confirmed = await pendingBooking('2027-07-05', '2027-07-07');
    await changeBookingStatus(env.ctx, platform, confirmed.id, { to: 'confirmed' });
    expect(await expirePendingBookings(env.ctx, new Date(Date.now() + 30 * 60_000))).toBe(0);

    const later = new Date(Date.now() + 2 * 3600_000);
    expect(await expirePendingBookings(env.ctx, later)).toBe(2 - 1);
    expect(await expirePendingBookings(env.ctx, later)).toBe(0);

    expect((await env.ctx.db.booking.findUniqueOrThrow({ where: { id: due.id } })).status).toBe('expired');
    expect((await env.ctx.db.booking.findUniqueOrThrow({ where: { id: confirmed.id } })).status).toBe('confirmed');
    const events = await env.ctx.db.event.findMany({ where: { bookingId: due.id, type: 'booking.expired' } });
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ status: 'expired', previous_status: 'pending', booking_id: due.id });
    const note = await env.ctx.db.hostNotification.findUniqueOrThrow({ where: { eventId: events[0].id } });
    expect(note).toMatchObject({ type: 'booking_update', title: 'Booking request expired', hostId: due.hostId });
  });

  it('never overwrites a confirm that wins the race', async () => {
    const b = await pendingBooking('2027-08-01', '2027-08-03');
    const later = new Date(Date.now() + 2 * 3600_000);
    const [expired, confirm] = await Promise.allSettled([
      expirePendingBookings(env.ctx, later),
      changeBookingStatus(env.ctx, platform, b.id, { to: 'confirmed' }),
    ]);
    const final = await env.ctx.db.booking.findUniqueOrThrow({ where: { id: b.id } });
    const statusEvents = await env.ctx.db.event.findMany({
      where: { bookingId: b.id, type: { in: ['booking.expired', 'booking.confirmed'] } },
    });
    expect(statusEvents).toHaveLength(1);
    expect(statusEvents[0].type).toBe(`booking.${final.status}`);
    expect(confirm.status === 'fulfilled' ? 'confirmed' : 'expired').toBe(final.status);
    expect(expired.status).toBe('fulfilled');
  });
});
