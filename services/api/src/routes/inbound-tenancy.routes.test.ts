import type { Express } from 'express';
import { createInboundConnection, type InboundCredentials } from '@bellhop/domain';
import { createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';
import { deliver, fixture } from './__tests__/inbound-sender';

// Two hosts, each with its own Hostaway and Hospitable connection. Channel ids are only unique
// within one account (Hostaway's are sequential integers), so both hosts see the same ones.
let env: TestEnv;
let app: Express;
const hosts: Record<'a' | 'b', { id: string; hostaway: InboundCredentials; hospitable: InboundCredentials }> =
  {} as never;

beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  const deps = { db: env.ctx.db, secrets: env.ctx.secrets, publicApiUrl: env.config.PUBLIC_API_URL };
  for (const name of ['a', 'b'] as const) {
    const id = (await createHostWithToken(env.ctx)).hostId;
    hosts[name] = {
      id,
      hostaway: await createInboundConnection(deps, { provider: 'hostaway', hostId: id }),
      hospitable: await createInboundConnection(deps, { provider: 'hospitable', hostId: id }),
    };
  }
});
afterAll(async () => {
  await env.close();
});

/** A fixture with its channel ids swapped, so each test has records of its own. */
const payload = (provider: string, name: string, ids: Record<string, string> = {}) =>
  Object.entries(ids).reduce((raw, [from, to]) => raw.replaceAll(from, to), fixture(provider, name));

/** Everything a host owns that a channel can touch: compared whole, so any change to any row shows. */
async function recordsOf(hostId: string) {
  const { db } = env.ctx;
  const where = { where: { hostId }, orderBy: { id: 'asc' as const } };
  return {
    bookings: await db.booking.findMany(where),
    properties: await db.property.findMany(where),
    events: await db.event.findMany(where),
    notifications: await db.hostNotification.findMany(where),
  };
}
const booking = (hostId: string, sourceChannel: string, externalId: string) =>
  env.ctx.db.booking.findUniqueOrThrow({
    where: { hostId_sourceChannel_externalId: { hostId, sourceChannel, externalId } },
    include: { property: true },
  });
const eventsOf = (bookingId: string) => env.ctx.db.event.findMany({ where: { bookingId }, orderBy: { id: 'asc' } });

describe('channel records stay in their host', () => {
  it('Hostaway: the same reservation and listing ids give each host its own; B updating and cancelling leaves A untouched', async () => {
    const ids = { 40751234: '40760001', 180442: '180601' };
    await deliver(env.ctx, app, hosts.a.hostaway, payload('hostaway', 'reservation-created', ids));
    const before = await recordsOf(hosts.a.id);

    await deliver(env.ctx, app, hosts.b.hostaway, payload('hostaway', 'reservation-created', ids));
    const threeGuests = { ...ids, '"numberOfGuests": 2': '"numberOfGuests": 3' };
    await deliver(
      env.ctx,
      app,
      hosts.b.hostaway,
      payload('hostaway', 'reservation-created', { ...threeGuests, '"reservation.created"': '"reservation.updated"' }),
    );
    await deliver(env.ctx, app, hosts.b.hostaway, payload('hostaway', 'reservation-cancelled', threeGuests));

    const [a, b] = [
      await booking(hosts.a.id, 'hostaway', '40760001'),
      await booking(hosts.b.id, 'hostaway', '40760001'),
    ];
    expect(a.id).not.toBe(b.id);
    expect(a.property).toMatchObject({ hostId: hosts.a.id, externalId: '180601' });
    expect(b.property).toMatchObject({ hostId: hosts.b.id, externalId: '180601' });
    expect(b.propertyId).not.toBe(a.propertyId);
    expect(b).toMatchObject({ status: 'cancelled', guests: 3 });
    expect(await recordsOf(hosts.a.id)).toEqual(before);

    const bEvents = await eventsOf(b.id);
    expect(bEvents.map((e) => e.type)).toEqual([
      'booking.created',
      'booking.confirmed',
      'booking.updated',
      'booking.cancelled',
    ]);
    for (const [event, host] of [
      ...bEvents.map((e) => [e, hosts.b] as const),
      ...(await eventsOf(a.id)).map((e) => [e, hosts.a] as const),
    ]) {
      expect(event).toMatchObject({ hostId: host.id, sourceConnectionId: host.hostaway.id });
      expect(event.data).toMatchObject({
        host_id: host.id,
        source_channel: 'hostaway',
        source: { channel: 'hostaway', external_id: '40760001' },
      });
    }
  });

  it('Hospitable: the same reservation and property ids give each host its own; B cancelling leaves A untouched', async () => {
    const reservation = 'b3c1e7a2-5d0f-4a8e-9c61-0f2d7e4b1a90';
    await deliver(env.ctx, app, hosts.a.hospitable, payload('hospitable', 'reservation-created'));
    const before = await recordsOf(hosts.a.id);

    await deliver(env.ctx, app, hosts.b.hospitable, payload('hospitable', 'reservation-created'));
    await deliver(env.ctx, app, hosts.b.hospitable, payload('hospitable', 'reservation-cancelled'));

    const [a, b] = [
      await booking(hosts.a.id, 'hospitable', reservation),
      await booking(hosts.b.id, 'hospitable', reservation),
    ];
    expect(a).toMatchObject({ status: 'pending', hostId: hosts.a.id });
    expect(b).toMatchObject({ status: 'cancelled', hostId: hosts.b.id });
    expect(b.property.hostId).toBe(hosts.b.id);
    expect(b.propertyId).not.toBe(a.propertyId);
    expect(await recordsOf(hosts.a.id)).toEqual(before);
    const cancelled = (await eventsOf(b.id)).find((e) => e.type === 'booking.cancelled')!;
    expect(cancelled).toMatchObject({ hostId: hosts.b.id, sourceConnectionId: hosts.b.hospitable.id });
    expect(cancelled.data).toMatchObject({
      source_channel: 'hospitable',
      source: { channel: 'hospitable', external_id: reservation },
      previous_status: 'pending',
    });
  });

  it("a listing id of host A sent by host B becomes B's own property; changing or deleting it leaves A's alone", async () => {
    const [listing, property] = [
      { 180442: '180777' },
      { 'f2a9c3d4-1b7e-4c5a-8d0f-3e6b9a1c2d7e': 'a7a7a7a7-0000-4000-8000-000000000001' },
    ];
    await deliver(env.ctx, app, hosts.a.hostaway, payload('hostaway', 'listing-updated', listing));
    await deliver(env.ctx, app, hosts.a.hospitable, payload('hospitable', 'property-changed', property));
    const before = await recordsOf(hosts.a.id);

    await deliver(
      env.ctx,
      app,
      hosts.b.hostaway,
      payload('hostaway', 'listing-updated', { ...listing, 'Seaside Loft with Harbour View': 'Loft renamed by B' }),
    );
    await deliver(
      env.ctx,
      app,
      hosts.b.hostaway,
      payload('hostaway', 'listing-updated', { ...listing, '"listing.updated"': '"listing.deleted"' }),
    );
    await deliver(
      env.ctx,
      app,
      hosts.b.hospitable,
      payload('hospitable', 'property-changed', { ...property, 'Mountain Cabin with Hot Tub': 'Cabin renamed by B' }),
    );

    expect(await recordsOf(hosts.a.id)).toEqual(before);
    const bProperties = await env.ctx.db.property.findMany({
      where: { hostId: hosts.b.id, externalId: { in: ['180777', 'a7a7a7a7-0000-4000-8000-000000000001'] } },
      orderBy: { sourceChannel: 'asc' },
    });
    expect(bProperties).toEqual([
      expect.objectContaining({ sourceChannel: 'hospitable', title: 'Cabin renamed by B', deletedAt: null }),
      expect.objectContaining({ sourceChannel: 'hostaway', title: 'Loft renamed by B', deletedAt: expect.any(Date) }),
    ]);
    const types = (
      await env.ctx.db.event.findMany({
        where: { hostId: hosts.b.id, propertyId: { in: bProperties.map((p) => p.id) } },
        orderBy: { id: 'asc' },
      })
    ).map((e) => e.type);
    expect(types).toEqual(['property.created', 'property.deleted', 'property.created']);
  });

  it("messages and reviews link only to their own host's booking", async () => {
    const ids = { 40751234: '40760002', 180442: '180602' };
    for (const host of [hosts.a, hosts.b])
      await deliver(env.ctx, app, host.hostaway, payload('hostaway', 'reservation-created', ids));
    // Only A has this one: B's message about it must not reach A's booking.
    await deliver(
      env.ctx,
      app,
      hosts.a.hostaway,
      payload('hostaway', 'reservation-created', { 40751234: '40760003', 180442: '180602' }),
    );
    const aBefore = await recordsOf(hosts.a.id);

    await deliver(env.ctx, app, hosts.b.hostaway, payload('hostaway', 'message-received', ids));
    await deliver(
      env.ctx,
      app,
      hosts.b.hostaway,
      payload('hostaway', 'message-received', { 40751234: '40760003', 98123456: '98123457' }),
    );
    expect(await recordsOf(hosts.a.id)).toEqual(aBefore);
    await deliver(env.ctx, app, hosts.a.hostaway, payload('hostaway', 'message-received', ids));

    const messages = await env.ctx.db.event.findMany({
      where: { type: 'message.created', sourceConnectionId: { in: [hosts.a.hostaway.id, hosts.b.hostaway.id] } },
      orderBy: { id: 'asc' },
    });
    const bBooking = await booking(hosts.b.id, 'hostaway', '40760002');
    const aBooking = await booking(hosts.a.id, 'hostaway', '40760002');
    expect(messages.map((e) => [e.hostId, e.bookingId])).toEqual([
      [hosts.b.id, bBooking.id],
      [hosts.b.id, null],
      [hosts.a.id, aBooking.id],
    ]);
    const notes = await env.ctx.db.hostNotification.findMany({
      where: { eventId: { in: messages.map((e) => e.id) } },
      orderBy: { eventId: 'asc' },
    });
    expect(notes.map((n) => n.hostId)).toEqual(messages.map((e) => e.hostId));

    // Reviews: B's review of a reservation only A has stays unlinked; of its own, it links to B's booking.
    const [onlyA, ofB] = ['c0ffee00-0000-4000-8000-00000000000a', 'c0ffee00-0000-4000-8000-00000000000b'];
    const reservation = 'b3c1e7a2-5d0f-4a8e-9c61-0f2d7e4b1a90';
    await deliver(
      env.ctx,
      app,
      hosts.a.hospitable,
      payload('hospitable', 'reservation-created', {
        [reservation]: onlyA,
        '01JD2X3V7Y9K8QW4T2N6B1C0DE': '01JD6A0000000000000000000A',
      }),
    );
    await deliver(
      env.ctx,
      app,
      hosts.b.hospitable,
      payload('hospitable', 'reservation-created', {
        [reservation]: ofB,
        '01JD2X3V7Y9K8QW4T2N6B1C0DE': '01JD6B0000000000000000000B',
      }),
    );
    await deliver(env.ctx, app, hosts.b.hospitable, payload('hospitable', 'review-created', { [reservation]: onlyA }));
    await deliver(
      env.ctx,
      app,
      hosts.b.hospitable,
      payload('hospitable', 'review-created', {
        [reservation]: ofB,
        '01JD6R2W4Y6A8C0E2G4J6L8N0Q': '01JD6R2W4Y6A8C0E2G4J6L8N0R',
        '7d1f3b5e-9a2c-4e6f-8b0d-1c3e5a7b9d2f': '7d1f3b5e-9a2c-4e6f-8b0d-1c3e5a7b9d30',
      }),
    );
    const reviews = await env.ctx.db.event.findMany({
      where: { type: 'review.created', hostId: hosts.b.id },
      orderBy: { id: 'asc' },
    });
    expect(reviews.map((e) => e.bookingId)).toEqual([null, (await booking(hosts.b.id, 'hospitable', ofB)).id]);
    expect(reviews[1].data).toMatchObject({ rating: 5, source_channel: 'hospitable' });
  });
});
