import type { Express } from 'express';
import {
  createInboundConnection,
  processInboundReceipt,
  type DomainContext,
  type InboundCredentials,
} from '@bellhop/domain';
import type { Logger } from '@bellhop/logger';
import { createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';
import { deliver, fixture, sendTo } from './__tests__/inbound-sender';

// Real concurrency against the real database: requests and processing started together with Promise.all.
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

const payload = (provider: string, name: string, ids: Record<string, string>) =>
  Object.entries(ids).reduce((raw, [from, to]) => raw.replaceAll(from, to), fixture(provider, name));

/** The domain context with a logger that keeps its lines, to see how a race was reported. */
function recordingContext(): { ctx: DomainContext; lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const logger: Record<string, unknown> = { child: () => logger };
  for (const level of ['error', 'warn', 'info', 'debug'])
    logger[level] = (message: string) => {
      lines.push({ level, message });
      return logger;
    };
  return { ctx: { ...env.ctx, logger: logger as unknown as Logger }, lines };
}

/** Stores each body as a receipt (answering `accepted`), without processing it. */
async function receive(connection: InboundCredentials, raws: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const raw of raws) {
    const res = await sendTo(app, connection, raw);
    expect(res.body.data.status).toBe('accepted');
    ids.push(res.body.data.receipt_id);
  }
  return ids;
}

const bookingOf = (sourceChannel: string, externalId: string) =>
  env.ctx.db.booking.findUnique({ where: { hostId_sourceChannel_externalId: { hostId, sourceChannel, externalId } } });
const eventTypes = async (bookingId: string) =>
  (await env.ctx.db.event.findMany({ where: { bookingId }, orderBy: { id: 'asc' } })).map((e) => e.type);

describe('inbound dedupe under real concurrency', () => {
  it('identical redeliveries arriving together store one receipt, and one set of bookings and events', async () => {
    const raw = payload('hostaway', 'reservation-created', { 40751234: '40770001', 180442: '180701' });
    const hostawayAnswers = await Promise.all(Array.from({ length: 6 }, () => sendTo(app, hostaway, raw)));
    const signed = payload('hospitable', 'reservation-created', {
      'b3c1e7a2-5d0f-4a8e-9c61-0f2d7e4b1a90': 'd0d0d0d0-0000-4000-8000-000000000001',
      '01JD2X3V7Y9K8QW4T2N6B1C0DE': '01JD8A0000000000000000RACE',
    });
    const hospitableAnswers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => sendTo(app, hospitable, i % 2 ? `${signed}\n` : signed)),
    );

    for (const answers of [hostawayAnswers, hospitableAnswers]) {
      expect(answers.map((res) => res.status)).toEqual(Array(6).fill(200));
      expect(answers.filter((res) => res.body.data.status === 'accepted')).toHaveLength(1);
      expect(new Set(answers.map((res) => res.body.data.receipt_id)).size).toBe(1);
      expect(await env.ctx.db.inboundReceipt.count({ where: { id: answers[0].body.data.receipt_id } })).toBe(1);
      // A second run of the same receipt (a stalled job run again, an admin reprocess) at the same moment.
      await Promise.all([
        processInboundReceipt(env.ctx, answers[0].body.data.receipt_id),
        processInboundReceipt(env.ctx, answers[0].body.data.receipt_id),
      ]);
    }
    expect(
      await env.ctx.db.inboundReceipt.count({ where: { connectionId: { in: [hostaway.id, hospitable.id] } } }),
    ).toBe(2);
    expect(await eventTypes((await bookingOf('hostaway', '40770001'))!.id)).toEqual([
      'booking.created',
      'booking.confirmed',
    ]);
    expect(await eventTypes((await bookingOf('hospitable', 'd0d0d0d0-0000-4000-8000-000000000001'))!.id)).toEqual([
      'booking.created',
    ]);
  });

  it('different receipts about the same new reservation, processed together, make one booking and one booking.created; the race is not an error', async () => {
    const { ctx, lines } = recordingContext();
    for (let round = 0; round < 5; round++) {
      const ids = { 40751234: `4077010${round}`, 180442: `18071${round}` };
      const created = payload('hostaway', 'reservation-created', ids);
      // The same reservation told three times in different bytes: created, updated, and created again re-serialised.
      const receipts = await receive(hostaway, [
        created,
        created.replace('"reservation.created"', '"reservation.updated"'),
        JSON.stringify(JSON.parse(created)),
      ]);
      const done = await Promise.all(receipts.map((id) => processInboundReceipt(ctx, id)));

      expect(done.map((r) => [r.status, r.error, r.attempts])).toEqual(Array(3).fill(['processed', null, 1]));
      const booking = (await bookingOf('hostaway', ids[40751234]))!;
      expect(await eventTypes(booking.id)).toEqual(['booking.created', 'booking.confirmed']);
      expect(await env.ctx.db.property.count({ where: { hostId, externalId: ids[180442] } })).toBe(1);
      expect(
        await env.ctx.db.event.count({ where: { propertyId: booking.propertyId, type: 'property.created' } }),
      ).toBe(1);
      expect(await env.ctx.db.hostNotification.count({ where: { bookingId: booking.id, type: 'new_booking' } })).toBe(
        1,
      );
    }
    expect(lines.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
    // The losers met the unique index and applied their change again on top of the winner's row.
    expect(lines.filter((line) => line.message.includes('lost a race')).length).toBeGreaterThan(0);
  });

  it('two receipts cancelling the same booking at the same moment record one booking.cancelled', async () => {
    const ids = { 40751234: '40770201', 180442: '180721' };
    await deliver(env.ctx, app, hostaway, payload('hostaway', 'reservation-created', ids));
    const cancelled = payload('hostaway', 'reservation-cancelled', ids);
    const receipts = await receive(hostaway, [cancelled, JSON.stringify(JSON.parse(cancelled))]);
    await Promise.all(receipts.map((id) => processInboundReceipt(env.ctx, id)));
    expect(await eventTypes((await bookingOf('hostaway', '40770201'))!.id)).toEqual([
      'booking.created',
      'booking.confirmed',
      'booking.cancelled',
    ]);
  });

  it('two deliveries of the same guest message at the same moment record one message.created and one notification', async () => {
    const { ctx, lines } = recordingContext();
    const message = payload('hospitable', 'message-created', { 5521903: '5529999' });
    // Two webhooks (two Hospitable ids) about one message; and a Hostaway message in two byte forms.
    const fromHospitable = await receive(hospitable, [
      message,
      message.replace('01JD3B1N4P8R2T6V0X3Z5A7C9E', '01JD3B1N4P8R2T6V0X3Z5A7C9F'),
    ]);
    const hostawayMessage = payload('hostaway', 'message-received', { 98123456: '98129999' });
    const fromHostaway = await receive(hostaway, [hostawayMessage, JSON.stringify(JSON.parse(hostawayMessage))]);
    await Promise.all([...fromHospitable, ...fromHostaway].map((id) => processInboundReceipt(ctx, id)));

    const events = await env.ctx.db.event.findMany({
      where: {
        type: 'message.created',
        idempotencyKey: { in: ['hospitable:message.created:5529999', 'hostaway:message.created:98129999'] },
      },
    });
    expect(events.map((e) => e.idempotencyKey).sort()).toEqual([
      'hospitable:message.created:5529999',
      'hostaway:message.created:98129999',
    ]);
    expect(await env.ctx.db.hostNotification.count({ where: { eventId: { in: events.map((e) => e.id) } } })).toBe(2);
    expect(lines.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
  });
});
