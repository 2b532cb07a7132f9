import { probeOpenBreakers, recordEvent, sweepDueDeliveries } from '@bellhop/domain';
import { EVENT } from '@bellhop/events';
import {
  createAgentKey,
  createTestEnv,
  deleteKeys,
  eventually,
  startReceiver,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startWorkers } from './index';

let env: TestEnv;
let workers: { close(): Promise<void> };
let agent: { agentId: string };
const receivers: Receiver[] = [];

async function receiver(status: number): Promise<Receiver> {
  const r = await startReceiver(() => ({ status }));
  receivers.push(r);
  return r;
}

const events = async (count: number, type = 'booking.created') => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await recordEvent(env.ctx, { type, data: { n: i } })).id);
  return ids;
};
const subscription = (id: string) => env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id } });
const paused = (subscriptionId: string) =>
  env.ctx.db.delivery.count({ where: { subscriptionId, status: 'pending', pausedAt: { not: null } } });
const ownerEvents = (type: string) =>
  env.ctx.db.event.findMany({ where: { type, audienceAgentId: agent.agentId }, orderBy: { createdAt: 'asc' } });
const one = <T>(rows: T[]) => {
  if (rows.length !== 1) throw new Error(`${rows.length} rows, not one`);
  return rows;
};
/** Deliveries are created by the fan-out job, a moment after the event is recorded. */
const expectPaused = (subscriptionId: string, count: number) =>
  eventually(async () => expect(await paused(subscriptionId)).toBe(count));
const later = (ms: number) => new Date(Date.now() + ms);
/** Long enough for a job or a lane that was going to send something to have sent it. */
const settle = () => new Promise((r) => setTimeout(r, 700));

async function openedBreaker(r: Receiver, threshold: number, extra = {}) {
  const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, {
    breakerEnabled: true,
    breakerThreshold: threshold,
    breakerWindowMs: 60_000,
    retryScheduleMs: [1_000, 1_000, 1_000, 1_000, 1_000],
    maxFailedAttempts: 100,
    ...extra,
  });
  await events(threshold);
  await eventually(async () => expect((await subscription(sub.id)).breakerOpenedAt).not.toBeNull(), 15_000);
  return sub;
}

beforeAll(async () => {
  // One lane per endpoint, so the receiver sees deliveries in the order they were admitted.
  env = await createTestEnv({ ENDPOINT_MAX_IN_FLIGHT: '1' });
  agent = await createAgentKey(env.ctx);
  workers = await startWorkers(env.ctx);
});
afterAll(async () => {
  await workers.close();
  await Promise.all(receivers.map((r) => r.close()));
  await env.close();
});
beforeEach(async () => {
  // Each test's subscription is the only one listening.
  await env.ctx.db.webhookSubscription.updateMany({ data: { isActive: false } });
});

describe('the circuit breaker', () => {
  it('opens at the threshold; while open only probes reach the endpoint; a successful probe resumes all in due-time order, once each', async () => {
    const r = await receiver(500);
    const sub = await openedBreaker(r, 3);
    expect(r.requests).toHaveLength(3);
    const [unhealthy] = await eventually(() => ownerEvents(EVENT.subscriptionUnhealthy).then(one));
    expect(unhealthy.data).toMatchObject({ subscription_id: sub.id, consecutive_failures: 3 });

    // New deliveries are created paused, and the first three's retries (due after 1 s) spend no attempt.
    await events(40);
    await settle();
    await settle();
    await expectPaused(sub.id, 43);
    expect(r.requests).toHaveLength(3);
    expect(await sweepDueDeliveries(env.ctx)).toBe(0);

    // A failed probe: one request, the breaker stays open, the next probe waits twice as long.
    expect(await probeOpenBreakers(env.ctx, later(31_000))).toBe(1);
    await r.waitForCount(4);
    await settle();
    expect(r.requests).toHaveLength(4);
    const afterProbe = await subscription(sub.id);
    expect(afterProbe.breakerOpenedAt).not.toBeNull();
    expect(afterProbe.breakerProbes).toBe(1);
    expect(afterProbe.breakerProbeAt!.getTime()).toBeGreaterThan(Date.now() + 85_000);
    expect(await probeOpenBreakers(env.ctx, later(31_000))).toBe(0);
    expect(await paused(sub.id)).toBe(43);

    const due = await env.ctx.db.delivery.findMany({
      where: { subscriptionId: sub.id },
      include: { event: true },
      orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
    });
    r.setReply(() => ({ status: 200 }));
    expect(await probeOpenBreakers(env.ctx, later(120_000))).toBe(1);
    await eventually(async () => {
      expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'succeeded' } })).toBe(43);
    }, 20_000);
    await settle();
    const ok = r.requests.slice(4).map((req) => req.headers['webhook-id']);
    expect(ok).toHaveLength(43);
    // The probe goes first (the oldest due); the rest follow in order of due time.
    expect(ok).toEqual(due.map((d) => d.event.id));
    const closed = await subscription(sub.id);
    expect([closed.breakerOpenedAt, closed.breakerFailures, closed.breakerProbes]).toEqual([null, 0, 0]);
    const [recovered] = await eventually(() => ownerEvents(EVENT.subscriptionRecovered).then(one));
    expect(recovered.data).toMatchObject({ subscription_id: sub.id, resumed: 42 });
    expect(await ownerEvents(EVENT.subscriptionUnhealthy)).toHaveLength(1);
  });

  it('still auto-disables when the probes keep failing', async () => {
    const r = await receiver(500);
    // No retries: each failed attempt fails its delivery and counts toward auto-disable (3).
    const sub = await openedBreaker(r, 2, { retryScheduleMs: [], maxRetries: 0, maxFailedAttempts: 3 });
    await events(4);
    await expectPaused(sub.id, 4);
    expect(await probeOpenBreakers(env.ctx, later(31_000))).toBe(1);
    await eventually(async () => expect((await subscription(sub.id)).isActive).toBe(false), 15_000);
    const disabled = await subscription(sub.id);
    expect(disabled.disabledReason).toMatch(/3 deliveries in a row/);
    expect(r.requests).toHaveLength(3);
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'pending' } })).toBe(0);
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'cancelled' } })).toBe(3);
  });

  it('changes nothing for a subscription without a breaker', async () => {
    const r = await receiver(500);
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, {
      retryScheduleMs: [],
      maxRetries: 0,
      maxFailedAttempts: 100,
    });
    await events(15);
    await r.waitForCount(15);
    // Up to a sweep and a half: an outcome write that failed once (a loaded CI machine) is sent again by the sweeper.
    await eventually(
      async () =>
        expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'failed' } })).toBe(15),
      25_000,
    );
    const fresh = await subscription(sub.id);
    expect([fresh.breakerOpenedAt, fresh.breakerFailures, fresh.failedAttempts]).toEqual([null, 0, 15]);
    expect(new Set(r.requests.map((req) => req.headers['webhook-id'])).size).toBe(15);
    expect(await env.ctx.db.delivery.count({ where: { pausedAt: { not: null }, subscriptionId: sub.id } })).toBe(0);
  });

  it('keeps the breaker open and the deliveries paused through a Redis wipe', async () => {
    const r = await receiver(503);
    const sub = await openedBreaker(r, 2);
    await events(5);
    await expectPaused(sub.id, 7);
    await deleteKeys(env.config, env.config.QUEUE_PREFIX);
    expect(await sweepDueDeliveries(env.ctx)).toBe(0);
    await settle();
    expect(r.requests).toHaveLength(2);
    expect((await subscription(sub.id)).breakerOpenedAt).not.toBeNull();
    expect(await paused(sub.id)).toBe(7);
    // The probe time is in Postgres: the next maintenance run still probes; the probe fails and pauses again.
    expect(await probeOpenBreakers(env.ctx, later(31_000))).toBe(1);
    await r.waitForCount(3);
    await expectPaused(sub.id, 7);
    expect((await subscription(sub.id)).breakerProbes).toBe(1);
  });
});
