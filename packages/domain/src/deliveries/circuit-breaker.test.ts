import { EVENT, newId } from '@bellhop/events';
import { createLogger } from '@bellhop/logger';
import { createAgentKey, createTestEnv, deleteKeys, type TestEnv } from '@bellhop/testing';
import { closeDomainContext, createDomainContext } from '../bootstrap';
import type { DomainContext } from '../context';
import { countBreakerFailure, probeOpenBreakers, recordBreakerSuccess } from './circuit-breaker';
import { requestRecovery } from './recoveries';
import { runRecovery } from './run-recovery';
import { sweepDueDeliveries } from './sweep';

let env: TestEnv;
let other: DomainContext;
let ownerAgentId: string;

beforeAll(async () => {
  env = await createTestEnv();
  // A second worker: its own pool and Redis connection on the same database.
  other = createDomainContext(env.config, createLogger('test-worker-2', env.config.LOG_LEVEL));
  ownerAgentId = (await createAgentKey(env.ctx)).agentId;
});
afterAll(async () => {
  await closeDomainContext(other);
  await env.close();
});

async function breakerSubscription(threshold: number, windowMs = 60_000) {
  return env.ctx.db.webhookSubscription.create({
    data: {
      id: newId('subscription'),
      ownerAgentId,
      agentName: 'breaker-test',
      webhookUrl: 'http://127.0.0.1:9/hook',
      events: ['*'],
      secretEncrypted: 'unused',
      breakerEnabled: true,
      breakerThreshold: threshold,
      breakerWindowMs: windowMs,
    },
  });
}

/** Pending deliveries of the subscription (their events need not be fanned out for this). */
async function pendingDeliveries(subscriptionId: string, count: number): Promise<string[]> {
  const eventIds = Array.from({ length: count }, () => newId('event'));
  await env.ctx.db.event.createMany({ data: eventIds.map((id) => ({ id, type: 'booking.created', data: {} })) });
  const ids = eventIds.map(() => newId('delivery'));
  await env.ctx.db.delivery.createMany({
    data: ids.map((id, i) => ({ id, eventId: eventIds[i], subscriptionId, nextAttemptAt: new Date() })),
  });
  return ids;
}

const fresh = (id: string) => env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id } });
const unhealthyEvents = (subscriptionId: string) =>
  env.ctx.db.event.count({
    where: { type: EVENT.subscriptionUnhealthy, data: { path: ['subscription_id'], equals: subscriptionId } },
  });

describe('counting failures', () => {
  it('counts failures from two workers at once exactly, and opens the breaker once', async () => {
    const sub = await breakerSubscription(30);
    const ids = await pendingDeliveries(sub.id, 40);
    const opened = await Promise.all(ids.map((id, i) => countBreakerFailure(i % 2 === 0 ? env.ctx : other, sub, id)));
    const after = await fresh(sub.id);
    expect(after.breakerFailures).toBe(40);
    expect(after.breakerOpenedAt).not.toBeNull();
    // From the 30th failure on, each call finds the breaker open.
    expect(opened.filter(Boolean)).toHaveLength(11);
    expect(await unhealthyEvents(sub.id)).toBe(1);
    // Opening paused every pending delivery in one statement.
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, pausedAt: null } })).toBe(0);
  });

  it('stays closed below the threshold and while failures are further apart than the window', async () => {
    const sub = await breakerSubscription(3, 1_000);
    const [a, b, c] = await pendingDeliveries(sub.id, 3);
    expect(await countBreakerFailure(env.ctx, sub, a)).toBe(false);
    expect(await countBreakerFailure(env.ctx, sub, b)).toBe(false);
    // The streak began longer ago than the window: it starts again at this failure.
    await env.ctx.db.webhookSubscription.update({
      where: { id: sub.id },
      data: { breakerStreakSince: new Date(Date.now() - 2_000) },
    });
    expect(await countBreakerFailure(env.ctx, sub, c)).toBe(false);
    expect((await fresh(sub.id)).breakerFailures).toBe(1);
  });

  it('a success ends the streak, so failures must be consecutive', async () => {
    const sub = await breakerSubscription(2);
    const [a, b, c] = await pendingDeliveries(sub.id, 3);
    await countBreakerFailure(env.ctx, sub, a);
    await recordBreakerSuccess(env.ctx, sub);
    expect((await fresh(sub.id)).breakerFailures).toBe(0);
    expect(await countBreakerFailure(env.ctx, sub, b)).toBe(false);
    expect(await countBreakerFailure(env.ctx, sub, c)).toBe(true);
  });

  it('does nothing for a subscription whose breaker is off', async () => {
    const sub = await breakerSubscription(1);
    const [a] = await pendingDeliveries(sub.id, 1);
    expect(await countBreakerFailure(env.ctx, { ...sub, breakerEnabled: false }, a)).toBe(false);
    expect((await fresh(sub.id)).breakerFailures).toBe(0);
  });
});

describe('probes', () => {
  it('go out from Postgres at growing intervals, one delivery each; a probe whose job a Redis wipe lost is swept again', async () => {
    // Only this test's breaker is probed (probes skip inactive subscriptions), only its deliveries are swept.
    await env.ctx.db.webhookSubscription.updateMany({ data: { isActive: false } });
    await env.ctx.db.delivery.updateMany({ where: { status: 'pending' }, data: { status: 'cancelled' } });
    const sub = await breakerSubscription(1);
    const ids = await pendingDeliveries(sub.id, 5);
    expect(await countBreakerFailure(env.ctx, sub, ids[0])).toBe(true);
    const openedAt = (await fresh(sub.id)).breakerOpenedAt!.getTime();
    expect((await fresh(sub.id)).breakerProbeAt!.getTime()).toBe(openedAt + 30_000);
    expect(await probeOpenBreakers(env.ctx, new Date(openedAt + 29_000))).toBe(0);

    const at = (ms: number) => new Date(openedAt + ms);
    const probeTimes: number[] = [];
    let elapsed = 30_000;
    for (let i = 0; i < 8; i++) {
      expect(await probeOpenBreakers(env.ctx, at(elapsed))).toBe(1);
      // The probe failed (the delivery pauses again, as a failed attempt does while open).
      const probe = await env.ctx.db.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id, pausedAt: null } });
      if (i === 0) {
        // Redis wiped before the probe's job ran: the sweeper admits the probe, and nothing else.
        await deleteKeys(env.config, env.config.QUEUE_PREFIX);
        expect(await sweepDueDeliveries(env.ctx)).toBe(1);
      }
      await countBreakerFailure(env.ctx, sub, probe.id);
      const next = (await fresh(sub.id)).breakerProbeAt!.getTime() - openedAt;
      probeTimes.push((next - elapsed) / 1000);
      elapsed = next;
    }
    expect(probeTimes).toEqual([60, 120, 240, 480, 960, 1800, 1800, 1800]);
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, pausedAt: null } })).toBe(0);
  });
});

describe('recover while the breaker is open', () => {
  it('re-opens the failed deliveries paused: no job, no attempt', async () => {
    await env.ctx.db.delivery.updateMany({ where: { status: 'pending' }, data: { status: 'cancelled' } });
    const sub = await breakerSubscription(1);
    const [first, ...failed] = await pendingDeliveries(sub.id, 4);
    await env.ctx.db.delivery.updateMany({ where: { id: { in: failed } }, data: { status: 'failed', attempts: 1 } });
    expect(await countBreakerFailure(env.ctx, sub, first)).toBe(true);
    const recovery = await requestRecovery(env.ctx, ownerAgentId, sub.id, new Date(Date.now() - 60_000));
    await runRecovery(env.ctx, recovery.id);
    const reopened = await env.ctx.db.delivery.findMany({ where: { id: { in: failed } } });
    expect(reopened.map((d) => [d.status, d.pausedAt !== null])).toEqual(Array(3).fill(['pending', true]));
    await deleteKeys(env.config, env.config.QUEUE_PREFIX);
    expect(await sweepDueDeliveries(env.ctx)).toBe(0);
  });
});
