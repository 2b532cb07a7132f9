import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createInboundConnection,
  hospitableSignature,
  receiveInbound,
  requeueStaleReceipts,
  type InboundCredentials,
} from '@bellhop/domain';
import { newId } from '@bellhop/events';
import { createRedis, type RedisClient } from '@bellhop/queue';
import { createHostWithToken, createTestEnv, eventually, type TestEnv } from '@bellhop/testing';
import { startInboundWorker } from './inbound.worker';
import type { Closable } from './worker-types';

const FIXTURES = path.resolve(__dirname, '../../../../packages/domain/src/inbound/fixtures');
let env: TestEnv;
let connection: RedisClient;
let worker: Closable;
let hospitable: InboundCredentials;

beforeAll(async () => {
  env = await createTestEnv();
  connection = createRedis(env.config, 'worker');
  worker = await startInboundWorker(env.ctx, connection);
  const { hostId } = await createHostWithToken(env.ctx);
  hospitable = await createInboundConnection(
    { db: env.ctx.db, secrets: env.ctx.secrets, publicApiUrl: env.config.PUBLIC_API_URL },
    { provider: 'hospitable', hostId },
  );
});
afterAll(async () => {
  await worker.close();
  connection.disconnect();
  await env.close();
});

const receive = (raw: string) =>
  receiveInbound(env.ctx, {
    provider: 'hospitable',
    connectionId: hospitable.id,
    rawBody: Buffer.from(raw),
    body: JSON.parse(raw),
    signature: hospitableSignature(raw, hospitable.signing_secret!),
  });

describe('inbound worker', () => {
  it('processes a received webhook into a booking and its event', async () => {
    const outcome = await receive(readFileSync(path.join(FIXTURES, 'hospitable/reservation-created.json'), 'utf8'));
    expect(outcome.status).toBe('accepted');
    await eventually(async () =>
      expect(await env.ctx.db.inboundReceipt.findUniqueOrThrow({ where: { id: outcome.receipt_id } })).toMatchObject({
        status: 'processed',
        attempts: 1,
      }),
    );
    const booking = await env.ctx.db.booking.findFirstOrThrow({ where: { sourceChannel: 'hospitable' } });
    expect(await env.ctx.db.event.count({ where: { bookingId: booking.id, type: 'booking.created' } })).toBe(1);
  });

  it('marks a receipt whose content cannot be applied as rejected with its error, once: the job completes, nothing retries it', async () => {
    const raw = JSON.stringify({
      id: 'evt-broken-1',
      action: 'reservation.created',
      created: '2026-11-24T10:00:00Z',
      version: 'v2',
      data: {
        id: 'r-broken',
        reservation_status: { current: { category: 'accepted' } },
        properties: [{ id: 'p-1', name: 'Loft' }],
      },
    });
    const outcome = await receive(raw);
    await eventually(async () =>
      expect(await env.ctx.db.inboundReceipt.findUniqueOrThrow({ where: { id: outcome.receipt_id } })).toMatchObject({
        status: 'rejected',
        attempts: 1,
        error: expect.stringContaining('no check-in date'),
      }),
    );
    await eventually(async () =>
      expect(await env.ctx.queues.inbound.getJobState(outcome.receipt_id)).toBe('completed'),
    );
  });

  it('picks up a receipt that was stored but never queued (Redis was down)', async () => {
    const raw = readFileSync(path.join(FIXTURES, 'hospitable/message-created.json'), 'utf8');
    const receipt = await env.ctx.db.inboundReceipt.create({
      data: {
        id: newId('inboundReceipt'),
        connectionId: hospitable.id,
        provider: 'hospitable',
        dedupeKey: 'lost-1',
        eventName: 'message.created',
        rawBody: raw,
        createdAt: new Date(Date.now() - 5 * 60_000),
      },
    });
    expect(await requeueStaleReceipts(env.ctx)).toBe(1);
    await eventually(async () =>
      expect((await env.ctx.db.inboundReceipt.findUniqueOrThrow({ where: { id: receipt.id } })).status).toBe(
        'processed',
      ),
    );
    expect(await env.ctx.db.event.count({ where: { type: 'message.created' } })).toBe(1);
  });

  it("carries the channel request's trace through the job into the events it records", async () => {
    const body = JSON.parse(readFileSync(path.join(FIXTURES, 'hospitable/reservation-created.json'), 'utf8'));
    const raw = JSON.stringify({
      ...body,
      id: 'evt-traced-1',
      data: {
        ...body.data,
        id: 'r-traced-1',
        arrival_date: '2027-05-02T16:00:00-04:00',
        departure_date: '2027-05-06T11:00:00-04:00',
      },
    });
    const trace = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      flags: 1,
      state: 'rojo=1',
    };
    const outcome = await receiveInbound(env.ctx, {
      provider: 'hospitable',
      connectionId: hospitable.id,
      rawBody: Buffer.from(raw),
      body: JSON.parse(raw),
      signature: hospitableSignature(raw, hospitable.signing_secret!),
      trace,
    });
    await eventually(async () =>
      expect((await env.ctx.db.inboundReceipt.findUniqueOrThrow({ where: { id: outcome.receipt_id } })).status).toBe(
        'processed',
      ),
    );
    const booking = await env.ctx.db.booking.findFirstOrThrow({
      where: { sourceChannel: 'hospitable', externalId: 'r-traced-1' },
    });
    const events = await env.ctx.db.event.findMany({ where: { bookingId: booking.id } });
    expect(events.length).toBeGreaterThan(0);
    for (const event of events)
      expect(event).toMatchObject({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        tracestate: 'rojo=1',
      });
  });
});
