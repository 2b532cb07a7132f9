import {
  closeDomainContext,
  createDomainContext,
  recordEvent,
  requestRecovery,
  sweepDueDeliveries,
  sweepUnfannedEvents,
  updateSubscription,
  type DomainContext,
} from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import {
  createAgentKey,
  createTestEnv,
  deleteKeys,
  eventually,
  startReceiver,
  type ReceivedRequest,
  type Receiver,
  type Reply,
  type TestEnv,
} from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startWorkers } from './index';
import type { Closable } from './worker-types';

const STEPS = ['booking.created', 'booking.confirmed', 'booking.cancelled'];
const BOOKINGS = 100;
/** Hundreds of deliveries through real workers: generous on a loaded machine (nothing asserts speed). */
const SLOW = 180_000;
const WAIT = 60_000;

let env: TestEnv;
let second: DomainContext;
let agentId: string;
const receivers: Receiver[] = [];
let running: Closable[] = [];

beforeAll(async () => {
  env = await createTestEnv({ ENDPOINT_MAX_IN_FLIGHT: '10' });
  second = createDomainContext(env.config, createLogger('second-worker', 'error'));
  agentId = (await createAgentKey(env.ctx)).agentId;
});
afterEach(async () => {
  await Promise.all(running.map((w) => w.close()));
  running = [];
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await closeDomainContext(second);
  await env.close();
});

/** Two worker processes' worth of workers (two contexts, two connections). */
async function twoWorkers(): Promise<void> {
  running.push(await startWorkers(env.ctx), await startWorkers(second));
}

interface Sent {
  bookingId: string;
  eventId: string;
  rank: number;
}
const sentOf = (req: ReceivedRequest): Sent => {
  const body = JSON.parse(req.body) as { id: string; type: string; booking_id: string };
  return { bookingId: body.booking_id, eventId: body.id, rank: STEPS.indexOf(body.type) };
};

interface Answered extends Sent {
  ok: boolean;
}
interface OrderedReceiver {
  receiver: Receiver;
  log: Answered[];
}

/** A receiver that fails the first attempt of every event of the bookings `failFirst` picks, and logs each answer in arrival order. */
async function receiverFailingFirstOf(
  failFirst: (bookingId: string) => boolean,
  delayMs = 0,
): Promise<OrderedReceiver> {
  const seen = new Set<string>();
  const log: Answered[] = [];
  const receiver = await startReceiver((req): Reply => {
    const sent = sentOf(req);
    const ok = seen.has(sent.eventId) || !failFirst(sent.bookingId);
    seen.add(sent.eventId);
    log.push({ ...sent, ok });
    return { status: ok ? 200 : 503, delayMs };
  });
  receivers.push(receiver);
  return { receiver, log };
}

/** created, confirmed, cancelled for each booking, interleaved: each round records one step for every booking at once. */
async function recordRounds(prefix: string, count = BOOKINGS): Promise<string[]> {
  const bookings = Array.from({ length: count }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
  for (const type of STEPS) {
    await Promise.all(
      bookings.map((bookingId) => recordEvent(env.ctx, { type, bookingId, data: { booking_id: bookingId } })),
    );
  }
  return bookings;
}

/**
 * Every request for a booking is for the event after the last one it acknowledged, or a repeat
 * of an acknowledged one (at-least-once); every booking ends with all three acknowledged.
 * Returns how many requests repeated an acknowledged event.
 */
function assertInOrder(log: Answered[], bookings: string[]): number {
  const acknowledged = new Map(bookings.map((b) => [b, -1]));
  let repeats = 0;
  for (const { bookingId, rank, ok } of log) {
    const done = acknowledged.get(bookingId);
    if (done === undefined) continue;
    if (rank > done + 1)
      throw new Error(`${bookingId}: ${STEPS[rank]} sent before ${STEPS[done + 1]} was acknowledged`);
    if (rank <= done) repeats++;
    else if (ok) acknowledged.set(bookingId, rank);
  }
  expect(bookings.filter((b) => acknowledged.get(b) !== STEPS.length - 1)).toEqual([]);
  return repeats;
}

async function allSucceeded(subscriptionId: string, count: number, sweep = false): Promise<void> {
  await eventually(
    async () => {
      if (sweep)
        await Promise.all([sweepUnfannedEvents(env.ctx, new Date(Date.now() + 10_000)), sweepDueDeliveries(env.ctx)]);
      const done = await env.ctx.db.delivery.count({ where: { subscriptionId, status: 'succeeded' } });
      if (done !== count) throw new Error(`${done} of ${count} succeeded`);
    },
    120_000,
    sweep ? 500 : 50,
  );
}

describe('ordering: "booking"', () => {
  it(
    'delivers 100 bookings × created, confirmed, cancelled in order per booking across two workers, with first attempts failing for some; ' +
      'no attempt is spent while held',
    async () => {
      const failsFirst = (b: string) => Number(b.slice(-3)) % 7 === 0;
      const { receiver: r, log } = await receiverFailingFirstOf(failsFirst);
      const { sub } = await createSubscription(env.ctx, agentId, r.url, {
        ordering: 'booking',
        retryScheduleMs: [200, 400],
      });
      await twoWorkers();
      const bookings = await recordRounds('bk_two');
      await allSucceeded(sub.id, BOOKINGS * STEPS.length);

      expect(assertInOrder(log, bookings)).toBe(0);
      const failing = bookings.filter(failsFirst);
      expect(r.requests).toHaveLength(BOOKINGS * STEPS.length + failing.length * STEPS.length);
      const rows = await env.ctx.db.delivery.findMany({
        where: { subscriptionId: sub.id },
        select: { attempts: true, heldAt: true, orderedBookingId: true, event: { select: { bookingId: true } } },
      });
      expect(rows.every((d) => d.heldAt === null && d.orderedBookingId === d.event.bookingId)).toBe(true);
      // Holding spends no attempt: every attempt is a request the receiver answered, or (on a loaded machine) a connection error.
      const attempts = await env.ctx.db.deliveryAttempt.findMany({
        where: { delivery: { subscriptionId: sub.id } },
        select: { statusCode: true },
      });
      expect(attempts.filter((a) => a.statusCode !== null)).toHaveLength(r.requests.length);
      expect(rows.reduce((n, d) => n + d.attempts, 0)).toBe(attempts.length);
    },
    SLOW,
  );

  it(
    'stays in order and loses nothing when Redis is wiped mid-way: the sweeper admits from Postgres',
    async () => {
      const { receiver: r, log } = await receiverFailingFirstOf((b) => Number(b.slice(-3)) % 5 === 0, 5);
      const { sub } = await createSubscription(env.ctx, agentId, r.url, {
        ordering: 'booking',
        retryScheduleMs: [200, 400],
      });
      await twoWorkers();
      const bookings = await recordRounds('bk_wipe');
      await r.waitForCount(60, WAIT);
      await deleteKeys(env.config.REDIS_URL, env.config.QUEUE_PREFIX);
      await allSucceeded(sub.id, BOOKINGS * STEPS.length, true);
      assertInOrder(log, bookings);
      expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(BOOKINGS * STEPS.length);
    },
    SLOW,
  );

  it(
    'holds back only the booking whose delivery is retrying; after it fails for good the next one goes',
    async () => {
      const stuck = 'bk_stuck';
      const r = await startReceiver((req) =>
        sentOf(req).bookingId === stuck && sentOf(req).rank === 0 ? { status: 500 } : { status: 200 },
      );
      receivers.push(r);
      const { sub } = await createSubscription(env.ctx, agentId, r.url, {
        ordering: 'booking',
        retryScheduleMs: [8000],
        maxFailedAttempts: 100,
      });
      await twoWorkers();
      for (const type of STEPS) await recordEvent(env.ctx, { type, bookingId: stuck, data: {} });
      for (const type of STEPS) await recordEvent(env.ctx, { type, bookingId: 'bk_free', data: {} });
      await eventually(() => {
        if (r.requests.filter((q) => sentOf(q).bookingId === 'bk_free').length < 3)
          throw new Error('bk_free not through');
      }, WAIT);
      const held = await env.ctx.db.delivery.findMany({
        where: { subscriptionId: sub.id, event: { bookingId: stuck }, status: 'pending' },
        select: { attempts: true, heldAt: true, event: { select: { type: true } } },
      });
      // Its first delivery waits for its retry; the two after it are held, unsent.
      expect(
        held
          .filter((d) => d.heldAt !== null)
          .map((d) => [d.event.type, d.attempts])
          .sort(),
      ).toEqual([
        ['booking.cancelled', 0],
        ['booking.confirmed', 0],
      ]);
      expect(r.requests.filter((q) => sentOf(q).bookingId === stuck).map((q) => sentOf(q).rank)).toEqual([0]);
      await eventually(async () => {
        if ((await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'succeeded' } })) !== 5)
          throw new Error('not through yet');
      }, WAIT);
      expect(r.requests.filter((q) => sentOf(q).bookingId === stuck).map((q) => sentOf(q).rank)).toEqual([0, 0, 1, 2]);
      const first = await env.ctx.db.delivery.findFirstOrThrow({
        where: { subscriptionId: sub.id, event: { bookingId: stuck, type: 'booking.created' } },
      });
      expect(first.status).toBe('failed');
    },
    SLOW,
  );

  it(
    'a recovery resends failed deliveries of a booking in order',
    async () => {
      let down = true;
      const r = await startReceiver(() => ({ status: down ? 500 : 200 }));
      receivers.push(r);
      const { sub } = await createSubscription(env.ctx, agentId, r.url, {
        ordering: 'booking',
        retryScheduleMs: [50],
        maxFailedAttempts: 100,
      });
      await twoWorkers();
      for (const type of STEPS) await recordEvent(env.ctx, { type, bookingId: 'bk_recovered', data: {} });
      await eventually(async () => {
        if ((await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'failed' } })) !== 3)
          throw new Error('not failed yet');
      }, WAIT);
      down = false;
      const before = r.requests.length;
      await requestRecovery(env.ctx, agentId, sub.id, new Date(Date.now() - 60_000));
      await allSucceeded(sub.id, 3);
      expect(r.requests.slice(before).map((q) => sentOf(q).rank)).toEqual([0, 1, 2]);
    },
    SLOW,
  );

  it(
    'releases what it holds when the subscription stops ordering',
    async () => {
      const r = await startReceiver((req) => (sentOf(req).rank === 0 ? { status: 500 } : { status: 200 }));
      receivers.push(r);
      const { sub } = await createSubscription(env.ctx, agentId, r.url, {
        ordering: 'booking',
        retryScheduleMs: [60_000],
      });
      await twoWorkers();
      for (const type of STEPS) await recordEvent(env.ctx, { type, bookingId: 'bk_unordered', data: {} });
      await eventually(async () => {
        if ((await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, heldAt: { not: null } } })) !== 2)
          throw new Error('not held yet');
      }, WAIT);
      await updateSubscription(env.ctx, agentId, sub.id, { ordering: 'none' });
      await eventually(async () => {
        if ((await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'succeeded' } })) !== 2)
          throw new Error('not released');
      }, WAIT);
    },
    SLOW,
  );
});

describe('ordering: "none" (the default)', () => {
  it(
    'is unchanged: nothing is stamped or held, events without a booking go to ordered subscriptions unordered',
    async () => {
      const plain = await startReceiver();
      const ordered = await startReceiver();
      receivers.push(plain, ordered);
      const { sub } = await createSubscription(env.ctx, agentId, plain.url);
      const { sub: orderedSub } = await createSubscription(env.ctx, agentId, ordered.url, {
        ordering: 'booking',
        events: ['payment.*'],
      });
      expect(sub.ordering).toBe('none');
      await twoWorkers();
      const bookings = await recordRounds('bk_none', 30);
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => recordEvent(env.ctx, { type: 'payment.received', data: { n: i } })),
      );
      await allSucceeded(sub.id, 90);
      await allSucceeded(orderedSub.id, 5);
      expect(
        await env.ctx.db.delivery.count({
          where: {
            OR: [{ orderedBookingId: { not: null } }, { heldAt: { not: null } }],
            subscriptionId: { in: [sub.id, orderedSub.id] },
          },
        }),
      ).toBe(0);
      expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, attempts: { not: 1 } } })).toBe(0);
      expect(new Set(plain.requests.map((q) => sentOf(q).bookingId))).toEqual(new Set(bookings));
    },
    SLOW,
  );
});
