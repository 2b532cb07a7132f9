import type { WebhookSubscription } from '@bellhop/db';
import {
  closeDomainContext,
  createDomainContext,
  deleteSubscription,
  deliveryJobId,
  disableSubscription,
  retryDelivery,
  runDelivery,
  runDeliveryJob,
  type DomainContext,
} from '@bellhop/domain';
import { DomainError } from '@bellhop/errors';
import { newId } from '@bellhop/events';
import { createLogger } from '@bellhop/logger';
import { createRedis } from '@bellhop/queue';
import {
  createAgentKey,
  createTestEnv,
  eventually,
  startReceiver,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startDeliveriesWorker } from '../workers/deliveries.worker';
import { createAxiosTransport } from './axios-transport';

let env: TestEnv;
/** A second worker process: its own pools, so its writes are batched and committed apart from the first's. */
let otherWorker: DomainContext;
let agent: { agentId: string };
const transport = createAxiosTransport({ allowPrivateTargets: true });
const receivers: Receiver[] = [];

beforeAll(async () => {
  // Enough endpoint slots that a burst to one receiver is all in flight at once.
  env = await createTestEnv({ ENDPOINT_MAX_IN_FLIGHT: '100' });
  otherWorker = createDomainContext(env.config, createLogger('other-worker', 'error'));
  agent = await createAgentKey(env.ctx);
});
afterAll(async () => {
  transport.close();
  await Promise.all(receivers.map((r) => r.close()));
  await closeDomainContext(otherWorker);
  await env.close();
});

async function receiver(reply: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

/** A delivery due now, as fan-out (attempts 0) or an earlier failed attempt left it. */
async function dueDelivery(sub: WebhookSubscription, attempts = 0): Promise<string> {
  const event = await env.ctx.db.event.create({
    data: { id: newId('event'), type: 'booking.created', data: { guest: 'Ana' }, fannedOutAt: new Date() },
  });
  const id = newId('delivery');
  await env.ctx.db.delivery.create({
    data: { id, eventId: event.id, subscriptionId: sub.id, attempts, nextAttemptAt: new Date() },
  });
  for (let number = 1; number <= attempts; number++) {
    await env.ctx.db.deliveryAttempt.create({
      data: {
        id: newId('attempt'),
        deliveryId: id,
        number,
        startedAt: new Date(),
        durationMs: 5,
        statusCode: 500,
        error: 'HTTP 500',
      },
    });
  }
  return id;
}

/** What a user sees of a delivery: its status, attempt count and the numbers of its attempt rows. */
async function seen(deliveryId: string) {
  const d = await env.ctx.db.delivery.findUniqueOrThrow({
    where: { id: deliveryId },
    include: { attemptLog: { orderBy: { number: 'asc' } } },
  });
  return {
    status: d.status,
    attempts: d.attempts,
    numbers: d.attemptLog.map((a) => a.number),
    cancelledReason: d.cancelledReason,
  };
}

const subscription = (id: string) => env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id } });
const kinds = (runs: { kind: string }[]) => runs.map((run) => run.kind).sort();

describe('an attempt is recorded once, whatever re-runs it', () => {
  it.each([
    ['in one worker process', () => env.ctx],
    ['in two worker processes', () => otherWorker],
  ])(
    'two concurrent runs of the same delivery %s: one success recorded, the other run lost',
    async (_where, second) => {
      const r = await receiver(() => ({ status: 200, delayMs: 300 }));
      const { sub } = await createSubscription(env.ctx, agent.agentId, r.url);
      const id = await dueDelivery(sub);

      const runs = await Promise.all([runDelivery(env.ctx, id, transport), runDelivery(second(), id, transport)]);

      expect(kinds(runs)).toEqual(['lost', 'succeeded']);
      expect(r.requests).toHaveLength(2); // both were in flight: the receiver de-duplicates by webhook-id
      expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
      expect(await seen(id)).toMatchObject({ status: 'succeeded', attempts: 1, numbers: [1] });
    },
  );

  it('two concurrent runs of a last attempt count one failure toward auto-disable', async () => {
    const r = await receiver(() => ({ status: 500, delayMs: 300 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, { maxRetries: 0, maxFailedAttempts: 2 });
    const id = await dueDelivery(sub);

    const runs = await Promise.all([runDelivery(env.ctx, id, transport), runDelivery(otherWorker, id, transport)]);

    expect(kinds(runs)).toEqual(['failed', 'lost']);
    expect(await seen(id)).toMatchObject({ status: 'failed', attempts: 1, numbers: [1] });
    // Counted twice, this second failure would have reached max_failed_attempts and disabled it.
    expect(await subscription(sub.id)).toMatchObject({ failedAttempts: 1, isActive: true });
  });

  it('two concurrent runs of an attempt with retries left schedule the next attempt once', async () => {
    const r = await receiver(() => ({ status: 503, delayMs: 300 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, { retryScheduleMs: [60_000, 60_000] });
    const id = await dueDelivery(sub, 1);

    const runs = await Promise.all([runDelivery(env.ctx, id, transport), runDelivery(otherWorker, id, transport)]);

    expect(kinds(runs)).toEqual(['lost', 'retry']);
    expect(await seen(id)).toMatchObject({ status: 'pending', attempts: 2, numbers: [1, 2] });
    expect(await env.ctx.queues.deliveries[0].getJobState(deliveryJobId(id, 2))).toBe('delayed');
  });

  it.each([[200], [500]])(
    'a cancel landing while an attempt is in flight (answer %i) stays cancelled, with nothing counted',
    async (status) => {
      const r = await receiver(() => ({ status, delayMs: 400 }));
      const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, { maxRetries: 0, failedAttempts: 3 });
      const id = await dueDelivery(sub);

      const run = runDelivery(env.ctx, id, transport);
      await r.waitForCount(1);
      await deleteSubscription(env.ctx, agent.agentId, sub.id);

      expect(await run).toEqual({ kind: 'lost' });
      expect(await seen(id)).toEqual({
        status: 'cancelled',
        attempts: 0,
        numbers: [],
        cancelledReason: 'subscription deleted',
      });
      expect(await subscription(sub.id)).toMatchObject({ failedAttempts: 3, lastSuccessfulCall: null });
    },
  );

  it('a manual retry racing a scheduled attempt of the same delivery: each attempt number recorded once', async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 200 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url);
    const id = await dueDelivery(sub, 1);
    await env.ctx.db.delivery.update({
      where: { id },
      data: { status: 'failed', nextAttemptAt: null, completedAt: new Date() },
    });
    const workerRedis = createRedis(env.config, 'worker');
    const worker = await startDeliveriesWorker(env.ctx, workerRedis);
    try {
      // The retry's job runs on the worker while an old scheduled job (a stalled one, run again) runs the same attempt.
      await retryDelivery(env.ctx, agent.agentId, id);
      const scheduled = await runDelivery(otherWorker, id, transport);
      await eventually(async () => expect((await seen(id)).status).toBe('succeeded'));
      await new Promise((done) => setTimeout(done, 300));

      expect(['succeeded', 'lost', 'skipped']).toContain(scheduled.kind);
      expect(await seen(id)).toMatchObject({ status: 'succeeded', attempts: 2, numbers: [1, 2] });
    } finally {
      await worker.close();
      workerRedis.disconnect();
    }
  });

  it('two concurrent manual retries of a failed delivery: one reopens it, the other is refused', async () => {
    const { sub } = await createSubscription(env.ctx, agent.agentId, 'http://127.0.0.1:9/unused');
    const id = await dueDelivery(sub, 1);
    await env.ctx.db.delivery.update({
      where: { id },
      data: { status: 'failed', nextAttemptAt: null, completedAt: new Date() },
    });

    const results = await Promise.allSettled([
      retryDelivery(env.ctx, agent.agentId, id),
      retryDelivery(otherWorker, agent.agentId, id),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason).toBeInstanceOf(DomainError);
    expect(refusal.reason).toMatchObject({ kind: 'conflict' });
    expect(await seen(id)).toMatchObject({ status: 'pending', attempts: 1, numbers: [1] });
  });
});

describe('a success racing a subscription disable', () => {
  it('a success that lands after the disable leaves the delivery cancelled and the failure count as it was', async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 400 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, { failedAttempts: 3 });
    const id = await dueDelivery(sub);

    const run = runDelivery(env.ctx, id, transport);
    await r.waitForCount(1);
    expect(await disableSubscription(env.ctx, sub, 'disabled by the test')).toBe(true);

    expect(await run).toEqual({ kind: 'lost' });
    expect(await seen(id)).toEqual({
      status: 'cancelled',
      attempts: 0,
      numbers: [],
      cancelledReason: 'disabled by the test',
    });
    expect(await subscription(sub.id)).toMatchObject({ isActive: false, failedAttempts: 3, lastSuccessfulCall: null });
  });

  it('successes committing while the disable commits: each delivery succeeded with one attempt or cancelled with none, and no deadlock', async () => {
    // Answers spread over 400 ms, so successes are still being written when the disable lands.
    const r = await receiver((_req, n) => ({ status: 200, delayMs: n * 10 }));
    // A failure count to reset, so every success batch locks the subscription row as the disable does.
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, { failedAttempts: 2 });
    const ids = await Promise.all(Array.from({ length: 40 }, () => dueDelivery(sub)));

    const runs = ids.map((id, i) => runDelivery(i % 2 ? otherWorker : env.ctx, id, transport));
    await r.waitForCount(ids.length);
    await new Promise((done) => setTimeout(done, 150));
    const disabled = await disableSubscription(otherWorker, sub, 'disabled mid-burst');
    const outcomes = await Promise.all(runs);

    expect(disabled).toBe(true);
    const statuses = await Promise.all(ids.map(seen));
    for (const [i, delivery] of statuses.entries()) {
      if (delivery.status === 'succeeded')
        expect({ ...delivery, outcome: outcomes[i].kind }).toMatchObject({
          attempts: 1,
          numbers: [1],
          outcome: 'succeeded',
        });
      else
        expect({ ...delivery, outcome: outcomes[i].kind }).toMatchObject({
          status: 'cancelled',
          attempts: 0,
          numbers: [],
          outcome: 'lost',
        });
    }
    expect(statuses.filter((d) => d.status === 'succeeded').length).toBeGreaterThan(0);
    expect(statuses.filter((d) => d.status === 'cancelled').length).toBeGreaterThan(0);
    expect(await subscription(sub.id)).toMatchObject({ isActive: false, failedAttempts: 0 });
  });
});

/** A worker whose Postgres fails the success write `times` times with `error`, then works again. */
function failingSuccessWrites(error: Error, times = Infinity): DomainContext {
  let failures = 0;
  const sql = Object.create(env.ctx.sql) as typeof env.ctx.sql;
  sql.query = ((query: { name?: string }, ...rest: never[]) =>
    query.name === 'record-delivery-successes' && failures++ < times
      ? Promise.reject(error)
      : env.ctx.sql.query(query as never, ...rest)) as typeof sql.query;
  return { ...env.ctx, sql };
}

describe('an outcome that could not be written', () => {
  it('is written once Postgres answers again: no second request', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url);
    const id = await dueDelivery(sub);
    const restarting = failingSuccessWrites(new Error('Connection terminated unexpectedly'), 3);
    expect(await runDeliveryJob(restarting, { deliveryId: id, laneId: 'lane-outage' }, transport)).toEqual({
      kind: 'lane',
      sent: 1,
    });
    expect(r.requests).toHaveLength(1);
    expect(await seen(id)).toMatchObject({ status: 'succeeded', attempts: 1, numbers: [1] });
  });

  it('when it fails for another reason, leaves its delivery to the next lane, first in line, not stranded until its lease runs out', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url);
    const id = await dueDelivery(sub);
    const deadlocked = failingSuccessWrites(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    await expect(runDeliveryJob(deadlocked, { deliveryId: id, laneId: 'lane-1' }, transport)).rejects.toThrow(
      'deadlock detected',
    );
    expect(r.requests).toHaveLength(1);
    expect(await seen(id)).toMatchObject({ status: 'pending', attempts: 0, numbers: [] });

    // The next lane may send it at once, and records it once.
    expect(await runDeliveryJob(env.ctx, { deliveryId: id, laneId: 'lane-2' }, transport)).toEqual({
      kind: 'lane',
      sent: 1,
    });
    expect(r.requests.map((req) => req.headers['webhook-id'])).toEqual([
      r.requests[0].headers['webhook-id'],
      r.requests[0].headers['webhook-id'],
    ]);
    expect(await seen(id)).toMatchObject({ status: 'succeeded', attempts: 1, numbers: [1] });
  });
});
