import request from 'supertest';
import type { Express } from 'express';
import {
  createInboundConnection,
  hospitableSignature,
  processInboundReceipt,
  type InboundCredentials,
} from '@bellhop/domain';
import { adminAuth, createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';
import { fixture } from './__tests__/inbound-sender';

let env: TestEnv;
let app: Express;
let hostId: string;
let hostaway: InboundCredentials;
let hospitable: InboundCredentials;

beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  hostId = (await createHostWithToken(env.ctx)).hostId;
  const deps = { db: env.ctx.db, secrets: env.ctx.secrets, publicApiUrl: env.config.PUBLIC_API_URL };
  hostaway = await createInboundConnection(deps, { provider: 'hostaway', hostId });
  hospitable = await createInboundConnection(deps, { provider: 'hospitable', hostId });
});
afterAll(async () => {
  await env.close();
});

const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
const toHostaway = (raw: string, auth = basic(hostaway.login!, hostaway.password!), id = hostaway.id) =>
  request(app)
    .post(`/api/v1/inbound/hostaway/${id}`)
    .set('Content-Type', 'application/json')
    .set('Authorization', auth)
    .send(raw);
const toHospitable = (
  raw: string,
  signature = hospitableSignature(raw, hospitable.signing_secret!),
  id = hospitable.id,
) =>
  request(app)
    .post(`/api/v1/inbound/hospitable/${id}`)
    .set('Content-Type', 'application/json')
    .set('Signature', signature)
    .send(raw);

/** Receives a fixture and runs the worker's processing of it, as the inbound queue would. */
async function deliver(provider: 'hostaway' | 'hospitable', name: string) {
  const raw = fixture(provider, name);
  const res = provider === 'hostaway' ? await toHostaway(raw) : await toHospitable(raw);
  expect(res.status).toBe(200);
  expect(res.body.data.status).toBe('accepted');
  await processInboundReceipt(env.ctx, res.body.data.receipt_id);
  return res.body.data.receipt_id as string;
}
const eventTypes = async (where: Record<string, unknown>) =>
  (await env.ctx.db.event.findMany({ where, orderBy: { id: 'asc' } })).map((e) => e.type);

describe('inbound authentication', () => {
  it('Hostaway: 401 without or with wrong Basic credentials, nothing stored', async () => {
    const raw = fixture('hostaway', 'reservation-created');
    expect((await toHostaway(raw, basic(hostaway.login!, 'wrong'))).status).toBe(401);
    expect((await toHostaway(raw, basic('someone', hostaway.password!))).status).toBe(401);
    const none = await request(app)
      .post(`/api/v1/inbound/hostaway/${hostaway.id}`)
      .set('Content-Type', 'application/json')
      .send(raw);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    expect(await env.ctx.db.inboundReceipt.count()).toBe(0);
  });

  it('Hospitable: 401 for a missing or wrong signature, and for one over re-serialised JSON', async () => {
    const raw = fixture('hospitable', 'reservation-created');
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(
      (
        await request(app)
          .post(`/api/v1/inbound/hospitable/${hospitable.id}`)
          .set('Content-Type', 'application/json')
          .send(raw)
      ).status,
    ).toBe(401);
    expect((await toHospitable(raw, 'a'.repeat(64))).status).toBe(401);
    expect((await toHospitable(raw, hospitableSignature(raw, 'another-secret'))).status).toBe(401);
    expect((await toHospitable(raw, hospitableSignature(reserialised, hospitable.signing_secret!))).status).toBe(401);
    expect((await toHospitable(reserialised, hospitableSignature(raw, hospitable.signing_secret!))).status).toBe(401);
    expect(await env.ctx.db.inboundReceipt.count()).toBe(0);
  });

  it('404 for an unknown connection or the wrong provider, 415 for a non-JSON body, 400 for malformed JSON', async () => {
    const raw = fixture('hostaway', 'reservation-created');
    expect((await toHostaway(raw, undefined, 'inb_missing')).status).toBe(404);
    expect((await toHostaway(raw, undefined, hospitable.id)).status).toBe(404);
    const text = await request(app)
      .post(`/api/v1/inbound/hostaway/${hostaway.id}`)
      .set('Authorization', basic(hostaway.login!, hostaway.password!))
      .set('Content-Type', 'text/plain')
      .send(raw);
    expect(text.status).toBe(415);
    const broken = await toHostaway('{"object": "reservation",');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
  });
});

describe('inbound receipts', () => {
  it('answers a redelivery with duplicate and stores it once (both providers)', async () => {
    const raw = fixture('hostaway', 'listing-updated');
    const first = await toHostaway(raw);
    const again = await toHostaway(raw);
    expect(first.body.data.status).toBe('accepted');
    expect(again.body.data).toEqual({ status: 'duplicate', receipt_id: first.body.data.receipt_id });
    const signedRaw = fixture('hospitable', 'property-changed');
    const h1 = await toHospitable(signedRaw);
    // Hospitable dedupes on its payload id, even if the bytes differ (e.g. re-signed whitespace).
    const spaced = `${signedRaw}\n`;
    const h2 = await toHospitable(spaced);
    expect(h2.body.data).toEqual({ status: 'duplicate', receipt_id: h1.body.data.receipt_id });
    expect(
      await env.ctx.db.inboundReceipt.count({ where: { eventName: { in: ['listing.updated', 'property.changed'] } } }),
    ).toBe(2);
  });

  it('stores an unknown event as ignored and answers ignored', async () => {
    for (const res of [
      await toHostaway(fixture('hostaway', 'unknown-event')),
      await toHospitable(fixture('hospitable', 'unknown-action')),
    ]) {
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe('ignored');
      expect(
        await env.ctx.db.inboundReceipt.findUniqueOrThrow({ where: { id: res.body.data.receipt_id } }),
      ).toMatchObject({ status: 'ignored' });
    }
  });

  it('enqueues an accepted receipt on the inbound queue (job id = receipt id)', async () => {
    const res = await toHostaway(fixture('hostaway', 'message-received').replace('98123456', '98123499'));
    const job = await env.ctx.queues.inbound.getJob(res.body.data.receipt_id);
    expect(job?.data).toMatchObject({ receiptId: res.body.data.receipt_id });
    expect(job?.opts.attempts).toBeGreaterThan(1);
  });
});

describe('inbound processing', () => {
  it('Hostaway: reservation created → property + confirmed booking + booking.created; updated to cancelled → booking.cancelled', async () => {
    await deliver('hostaway', 'reservation-created');
    const booking = await env.ctx.db.booking.findUniqueOrThrow({
      where: { hostId_sourceChannel_externalId: { hostId, sourceChannel: 'hostaway', externalId: '40751234' } },
      include: { property: true },
    });
    expect(booking).toMatchObject({
      hostId,
      status: 'confirmed',
      guestName: 'Ada Lovelace',
      guests: 2,
      currency: 'EUR',
      externalStatus: 'new',
    });
    expect(Number(booking.totalAmount)).toBe(640.5);
    expect(booking.checkIn.toISOString().slice(0, 10)).toBe('2027-03-12');
    expect(booking.property).toMatchObject({
      title: 'Seaside Loft',
      sourceChannel: 'hostaway',
      externalId: '180442',
      hostId,
    });
    expect(await eventTypes({ bookingId: booking.id })).toEqual(['booking.created', 'booking.confirmed']);

    const receiptId = await deliver('hostaway', 'reservation-cancelled');
    expect((await env.ctx.db.booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe('cancelled');
    expect(await eventTypes({ bookingId: booking.id })).toEqual([
      'booking.created',
      'booking.confirmed',
      'booking.cancelled',
    ]);
    expect(
      await env.ctx.db.hostNotification.count({ where: { bookingId: booking.id, title: 'Booking cancelled' } }),
    ).toBe(1);

    // Processing the same receipt again changes nothing, so records nothing.
    await processInboundReceipt(env.ctx, receiptId);
    expect(await eventTypes({ bookingId: booking.id })).toHaveLength(3);
  });

  it('Hospitable: request → pending booking in major units; cancelled → booking.cancelled', async () => {
    await deliver('hospitable', 'reservation-created');
    const booking = await env.ctx.db.booking.findUniqueOrThrow({
      where: {
        hostId_sourceChannel_externalId: {
          hostId,
          sourceChannel: 'hospitable',
          externalId: 'b3c1e7a2-5d0f-4a8e-9c61-0f2d7e4b1a90',
        },
      },
      include: { property: true },
    });
    expect(booking).toMatchObject({ status: 'pending', guestName: 'Grace Hopper', guests: 3, currency: 'USD' });
    expect(Number(booking.totalAmount)).toBe(1280.75);
    expect(booking.checkIn.toISOString().slice(0, 10)).toBe('2027-04-02');
    expect(booking.property).toMatchObject({ title: 'Mountain Cabin', address: '4 Pine Trail, Aspen, CO 81611, US' });
    expect(await eventTypes({ bookingId: booking.id })).toEqual(['booking.created']);
    await deliver('hospitable', 'reservation-cancelled');
    expect(await eventTypes({ bookingId: booking.id })).toEqual(['booking.created', 'booking.cancelled']);
  });

  it('messages → message.created with a guest_message notification, linked to the booking', async () => {
    await deliver('hospitable', 'message-created');
    await deliver('hostaway', 'message-received');
    const events = await env.ctx.db.event.findMany({ where: { type: 'message.created' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => (e.data as { body: string }).body)).toEqual([
      'Could we check in an hour early? Our flight lands at noon.',
      'Hi! Is there parking near the loft? We arrive by car around 6pm.',
    ]);
    expect(events.every((e) => e.hostId === hostId && e.bookingId)).toBe(true);
    const notes = await env.ctx.db.hostNotification.findMany({ where: { eventId: { in: events.map((e) => e.id) } } });
    expect(notes.map((n) => n.type)).toEqual(['guest_message', 'guest_message']);
  });

  it(
    'a reservation without a total price, currency, dates or listing is rejected naming them, not retried; ' +
      'nothing is stored with a made-up value',
    async () => {
      for (const [provider, externalId] of [
        ['hostaway', '40751304'],
        ['hospitable', '0d2f4b6c-8e1a-4c3e-9a5b-7c9e1f3a5b70'],
      ] as const) {
        const raw = fixture(provider, 'reservation-missing-values');
        const res = provider === 'hostaway' ? await toHostaway(raw) : await toHospitable(raw);
        const receipt = await processInboundReceipt(env.ctx, res.body.data.receipt_id);
        expect(receipt.error).toContain(`reservation ${externalId}: no total price (looked at`);
        expect(receipt).toMatchObject({
          status: 'rejected',
          error: expect.stringMatching(
            /no total price .*; no currency .*; no check-in date .*; no check-out date .*; no listing id/,
          ),
        });
        // The sweeper retries only received and failed receipts.
        expect(
          await env.ctx.db.inboundReceipt.count({ where: { id: receipt.id, status: { in: ['received', 'failed'] } } }),
        ).toBe(0);
        expect(await env.ctx.db.booking.count({ where: { externalId } })).toBe(0);
      }
    },
  );

  it('listing changes → property.updated', async () => {
    const before = await eventTypes({ type: 'property.updated' });
    // Both were received (and deduplicated) above; now the worker's processing runs.
    for (const received of await env.ctx.db.inboundReceipt.findMany({
      where: { eventName: { in: ['listing.updated', 'property.changed'] } },
    })) {
      await processInboundReceipt(env.ctx, received.id);
    }
    expect((await eventTypes({ type: 'property.updated' })).length).toBe(before.length + 2);
    const cabin = await env.ctx.db.property.findUniqueOrThrow({
      where: {
        hostId_sourceChannel_externalId: {
          hostId,
          sourceChannel: 'hospitable',
          externalId: 'f2a9c3d4-1b7e-4c5a-8d0f-3e6b9a1c2d7e',
        },
      },
    });
    expect(cabin.title).toBe('Mountain Cabin with Hot Tub');
    const loft = await env.ctx.db.property.findUniqueOrThrow({
      where: { hostId_sourceChannel_externalId: { hostId, sourceChannel: 'hostaway', externalId: '180442' } },
    });
    expect(loft).toMatchObject({
      title: 'Seaside Loft with Harbour View',
      address: '12 Harbour Road, Brighton, United Kingdom',
    });
  });
});

describe('admin inbound receipts', () => {
  it('keeps a rejected receipt with its error, lists it, and reprocesses on request', async () => {
    const raw = fixture('hostaway', 'reservation-created')
      .replace('"2027-03-12"', '""')
      .replace('40751234', '40759999');
    const { receipt_id: id } = (await toHostaway(raw)).body.data;
    expect((await processInboundReceipt(env.ctx, id)).error).toContain(
      'reservation 40759999: no check-in date (looked at arrivalDate)',
    );
    const rejected = await request(app)
      .get('/api/v1/admin/inbound-receipts')
      .query({ status: 'rejected', provider: 'hostaway' })
      .set('Authorization', adminAuth(env.ctx));
    expect(rejected.status).toBe(200);
    expect(rejected.body.data.items).toContainEqual(
      expect.objectContaining({
        id,
        status: 'rejected',
        attempts: 1,
        error: expect.stringContaining('no check-in date'),
      }),
    );

    const again = await request(app)
      .post(`/api/v1/admin/inbound-receipts/${id}/reprocess`)
      .set('Authorization', adminAuth(env.ctx));
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ id, status: 'rejected', attempts: 2 });

    // Once the cause is gone (here: the stored payload repaired), a reprocess applies it.
    await env.ctx.db.inboundReceipt.update({
      where: { id },
      data: { rawBody: raw.replace('"arrivalDate": ""', '"arrivalDate": "2027-09-01"') },
    });
    const fixed = await request(app)
      .post(`/api/v1/admin/inbound-receipts/${id}/reprocess`)
      .set('Authorization', adminAuth(env.ctx));
    expect(fixed.body.data).toMatchObject({ id, status: 'processed', error: null });
    expect(await env.ctx.db.booking.count({ where: { externalId: '40759999' } })).toBe(1);
    expect(
      (
        await request(app)
          .post('/api/v1/admin/inbound-receipts/rcp_missing/reprocess')
          .set('Authorization', adminAuth(env.ctx))
      ).status,
    ).toBe(404);
  });

  it('pages newest first, validates filters and is admin-only', async () => {
    const page = await request(app)
      .get('/api/v1/admin/inbound-receipts')
      .query({ limit: 2 })
      .set('Authorization', adminAuth(env.ctx));
    expect(page.body.data.items).toHaveLength(2);
    expect(page.body.data.items[0].id > page.body.data.items[1].id).toBe(true);
    const next = await request(app)
      .get('/api/v1/admin/inbound-receipts')
      .query({ limit: 2, cursor: page.body.data.next_cursor })
      .set('Authorization', adminAuth(env.ctx));
    expect(next.body.data.items[0].id < page.body.data.items[1].id).toBe(true);
    const bad = await request(app)
      .get('/api/v1/admin/inbound-receipts')
      .query({ status: 'lost' })
      .set('Authorization', adminAuth(env.ctx));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('status');
    expect(
      (
        await request(app)
          .get('/api/v1/admin/inbound-receipts')
          .set('Authorization', (await createAgentKey(env.ctx)).auth)
      ).status,
    ).toBe(403);
  });
});
