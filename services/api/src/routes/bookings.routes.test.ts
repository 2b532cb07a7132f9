import request from 'supertest';
import type { Express } from 'express';
import { BOOKING_TRANSITIONS } from '@bellhop/domain';
import { newId } from '@bellhop/events';
import { createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
let agent: string;
let host: Awaited<ReturnType<typeof createHostWithToken>>;
let propertyId: string;
let nextDay = 0;

beforeAll(async () => {
  // Rate limits are tested by the ops suite; this file drives many status changes with one key.
  env = await createTestEnv({ RATE_LIMIT_SCALE: '100' });
  app = createApp({ ctx: env.ctx });
  agent = (await createAgentKey(env.ctx, { scopes: ['bookings:read', 'bookings:write'] })).auth;
  host = await createHostWithToken(env.ctx);
  propertyId = (
    await env.ctx.db.property.create({
      data: { id: newId('property'), hostId: host.hostId, title: 'Seaside Loft', address: '12 Harbour Road, Brighton' },
    })
  ).id;
});
afterAll(async () => {
  await env.close();
});

/** Non-overlapping dates for each booking unless a test picks its own. */
function stay() {
  const start = new Date(Date.UTC(2027, 0, 1) + (nextDay += 10) * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { check_in: day(start), check_out: day(new Date(start.getTime() + 3 * 86_400_000)) };
}

const book = (body: Record<string, unknown> = {}, property = propertyId) =>
  request(app)
    .post('/api/v1/external/bookings')
    .set('Authorization', agent)
    .send({
      property_id: property,
      guest_name: 'Ada Lovelace',
      guest_email: 'ada@guest.example',
      guests: 2,
      total_amount: 640.5,
      currency: 'EUR',
      ...stay(),
      ...body,
    });
const setStatus = (id: string, status: string, reason?: string) =>
  request(app)
    .put(`/api/v1/external/bookings/${id}/status`)
    .set('Authorization', agent)
    .send({ status, ...(reason ? { reason } : {}) });

/** A booking brought to `status` through allowed transitions. */
async function bookingIn(status: string): Promise<string> {
  const id = (await book()).body.data.id as string;
  const path: Record<string, string[]> = {
    pending: [],
    confirmed: ['confirmed'],
    started: ['confirmed', 'started'],
    completed: ['confirmed', 'started', 'completed'],
    declined: ['declined'],
    cancelled: ['cancelled'],
    expired: ['expired'],
  };
  for (const step of path[status]) expect((await setStatus(id, step)).status).toBe(200);
  return id;
}

const eventsOf = (bookingId: string) => env.ctx.db.event.findMany({ where: { bookingId }, orderBy: { id: 'asc' } });

describe('POST /api/v1/external/bookings', () => {
  it('creates a pending booking that expires after the response window, with booking.created, host.response_needed and notifications', async () => {
    const res = await book({ special_requests: 'Late arrival' });
    expect(res.status).toBe(201);
    const b = res.body.data;
    expect(b).toMatchObject({
      status: 'pending',
      property_id: propertyId,
      host_id: host.hostId,
      total_amount: 640.5,
      currency: 'EUR',
      guests: 2,
      special_requests: 'Late arrival',
    });
    const expiresIn = Date.parse(b.expires_at) - Date.parse(b.created_at);
    expect(Math.abs(expiresIn - env.config.HOST_RESPONSE_WINDOW)).toBeLessThan(60_000);
    const events = await eventsOf(b.id);
    expect(events.map((e) => e.type)).toEqual(['booking.created', 'host.response_needed']);
    expect(events[0]).toMatchObject({
      hostId: host.hostId,
      propertyId,
      data: expect.objectContaining({
        booking_id: b.id,
        status: 'pending',
        check_in: b.check_in,
        total_amount: 640.5,
        source_channel: 'direct',
      }),
    });
    const notes = await env.ctx.db.hostNotification.findMany({ where: { bookingId: b.id } });
    expect(notes.map((n) => n.type).sort()).toEqual(['new_booking', 'urgent']);
  });

  it('rejects bad input naming the field, and an unknown or deleted property', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ check_in: '2027-02-30', check_out: '2027-03-02' }, 'check_in'],
      [{ check_in: '2027-05-10', check_out: '2027-05-10' }, 'check_out'],
      [{ guests: 0 }, 'guests'],
      [{ total_amount: -1 }, 'total_amount'],
      [{ total_amount: 10.005 }, 'total_amount'],
      [{ guest_email: 'nope' }, 'guest_email'],
    ];
    for (const [body, field] of cases) {
      const res = await book(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await book({}, 'prop_missing')).status).toBe(404);
    const gone = await env.ctx.db.property.create({
      data: { id: newId('property'), hostId: host.hostId, title: 'Gone', deletedAt: new Date() },
    });
    expect((await book({}, gone.id)).status).toBe(404);
  });

  it('refuses a stay overlapping a confirmed booking (409 dates_unavailable), allows back-to-back and overlap with a pending one', async () => {
    const dates = { check_in: '2028-06-10', check_out: '2028-06-14' };
    const first = (await book(dates)).body.data.id;
    expect((await book({ check_in: '2028-06-12', check_out: '2028-06-16' })).status).toBe(201);
    expect((await setStatus(first, 'confirmed')).status).toBe(200);
    const clash = await book({ check_in: '2028-06-13', check_out: '2028-06-20' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('dates_unavailable');
    expect((await book({ check_in: '2028-06-14', check_out: '2028-06-16' })).status).toBe(201);
    const pendingOverlap = await env.ctx.db.booking.findFirstOrThrow({
      where: { checkIn: new Date('2028-06-12'), status: 'pending' },
    });
    const confirmClash = await setStatus(pendingOverlap.id, 'confirmed');
    expect(confirmClash.status).toBe(409);
    expect(confirmClash.body.error.code).toBe('dates_unavailable');
  });

  it('lets only one of two concurrent overlapping bookings be confirmed', async () => {
    const dates = { check_in: '2029-01-10', check_out: '2029-01-12' };
    const [a, b] = await Promise.all([book(dates), book(dates)]);
    const results = await Promise.all([setStatus(a.body.data.id, 'confirmed'), setStatus(b.body.data.id, 'confirmed')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe('PUT /api/v1/external/bookings/:id/status', () => {
  const all = Object.keys(BOOKING_TRANSITIONS);
  const allowed = Object.entries(BOOKING_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => [from, to]));
  it.each(allowed)('allows %s → %s and records booking.<status> in the same change', async (from, to) => {
    const id = await bookingIn(from);
    const res = await setStatus(id, to, 'because');
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe(to);
    const last = (await eventsOf(id)).at(-1)!;
    expect(last.type).toBe(`booking.${to}`);
    expect(last.data).toMatchObject({ status: to, previous_status: from, reason: 'because' });
    if (to === 'confirmed') expect(res.body.data.confirmed_at).toEqual(expect.any(String));
  });

  const disallowed = all
    .flatMap((from) =>
      all.filter((to) => !BOOKING_TRANSITIONS[from as 'pending'].includes(to as 'pending')).map((to) => [from, to]),
    )
    .filter((_, i) => i % 4 === 0);
  it.each(disallowed)('refuses %s → %s with 409 naming the allowed transitions', async (from, to) => {
    const id = await bookingIn(from);
    const before = (await eventsOf(id)).length;
    const res = await setStatus(id, to);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('invalid_transition');
    expect(res.body.error.details.allowed).toEqual(BOOKING_TRANSITIONS[from as 'pending']);
    for (const next of BOOKING_TRANSITIONS[from as 'pending']) expect(res.body.error.message).toContain(next);
    expect((await eventsOf(id)).length).toBe(before);
  });

  it('lets exactly one of two concurrent changes win; the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await bookingIn('pending');
      const results = await Promise.all([setStatus(id, 'confirmed'), setStatus(id, 'declined')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(['status_conflict', 'invalid_transition']).toContain(
        results.find((r) => r.status === 409)!.body.error.code,
      );
      const statusEvents = (await eventsOf(id)).filter(
        (e) => e.type === 'booking.confirmed' || e.type === 'booking.declined',
      );
      expect(statusEvents).toHaveLength(1);
    }
  });

  it('404 for an unknown booking, 400 for an unknown status', async () => {
    expect((await setStatus('bkg_missing', 'confirmed')).status).toBe(404);
    const res = await setStatus(await bookingIn('pending'), 'teleported');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('status');
  });

  it('maps confirm and cancel to booking_update host notifications', async () => {
    const id = await bookingIn('pending');
    await setStatus(id, 'confirmed');
    await setStatus(id, 'cancelled', 'guest asked');
    const notes = await env.ctx.db.hostNotification.findMany({ where: { bookingId: id }, orderBy: { id: 'asc' } });
    expect(notes.map((n) => n.title)).toEqual([
      'New booking request',
      'Response needed',
      'Booking confirmed',
      'Booking cancelled',
    ]);
    expect(notes.at(-1)!.message).toContain('guest asked');
  });
});

describe('auto-approve and status', () => {
  it('confirms when the host turned auto-approve on, recording booking.confirmed', async () => {
    const auto = await createHostWithToken(env.ctx, { autoApproveBookings: true });
    const prop = await env.ctx.db.property.create({
      data: { id: newId('property'), hostId: auto.hostId, title: 'Cabin' },
    });
    const id = (await book({}, prop.id)).body.data.id;
    const res = await request(app).post(`/api/v1/external/bookings/${id}/auto-approve`).set('Authorization', agent);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'confirmed', status_reason: 'auto-approved' });
    expect((await eventsOf(id)).map((e) => e.type)).toContain('booking.confirmed');
  });

  it('409 auto_approve_disabled when it is off, and the booking stays pending', async () => {
    const id = await bookingIn('pending');
    const res = await request(app).post(`/api/v1/external/bookings/${id}/auto-approve`).set('Authorization', agent);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('auto_approve_disabled');
    const status = await request(app).get(`/api/v1/external/bookings/${id}/status`).set('Authorization', agent);
    expect(status.body.data).toEqual({
      booking_id: id,
      status: 'pending',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      confirmed_at: null,
      total_amount: 640.5,
    });
    expect(
      (await request(app).get('/api/v1/external/bookings/bkg_missing/status').set('Authorization', agent)).status,
    ).toBe(404);
  });

  it('requires the bookings scopes', async () => {
    const readOnly = (await createAgentKey(env.ctx, { scopes: ['bookings:read'] })).auth;
    expect((await request(app).post('/api/v1/external/bookings').set('Authorization', readOnly).send({})).status).toBe(
      403,
    );
    expect(
      (await request(app).get(`/api/v1/external/hosts/${host.hostId}/pending-bookings`).set('Authorization', readOnly))
        .status,
    ).toBe(200);
  });
});

describe('GET /api/v1/external/hosts/:hostId/pending-bookings', () => {
  it('lists only pending bookings, newest first, with property title and address, paged by cursor', async () => {
    const other = await createHostWithToken(env.ctx);
    const prop = await env.ctx.db.property.create({
      data: { id: newId('property'), hostId: other.hostId, title: 'Harbour Flat', address: '1 Quay St' },
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await book({}, prop.id)).body.data.id);
    await setStatus(ids[0], 'declined');
    const url = `/api/v1/external/hosts/${other.hostId}/pending-bookings`;
    const page1 = await request(app).get(url).query({ limit: 1 }).set('Authorization', agent);
    expect(page1.status).toBe(200);
    expect(page1.body.data.items.map((b: { id: string }) => b.id)).toEqual([ids[2]]);
    expect(page1.body.data.items[0].property).toEqual({ id: prop.id, title: 'Harbour Flat', address: '1 Quay St' });
    const page2 = await request(app)
      .get(url)
      .query({ limit: 1, cursor: page1.body.data.next_cursor })
      .set('Authorization', agent);
    expect(page2.body.data).toEqual({ items: [expect.objectContaining({ id: ids[1] })], next_cursor: null });
    for (const limit of [0, 101, 'x']) {
      const bad = await request(app).get(url).query({ limit }).set('Authorization', agent);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('limit');
    }
  });
});
