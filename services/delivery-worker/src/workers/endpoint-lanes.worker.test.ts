import {
  closeDomainContext,
  createDomainContext,
  recordEvent,
  sweepDueDeliveries,
  type DomainContext,
} from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import {
  createAgentKey,
  createTestEnv,
  eventually,
  startReceiver,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startWorkers } from './index';
import type { Closable } from './worker-types';

const CAP = 3;
let env: TestEnv;
let second: DomainContext;
let agentId: string;
const receivers: Receiver[] = [];
const workers: Closable[] = [];

beforeAll(async () => {
  env = await createTestEnv({ ENDPOINT_MAX_IN_FLIGHT: String(CAP) });
  second = createDomainContext(env.config, createLogger('second-worker', 'error'));
  agentId = (await createAgentKey(env.ctx)).agentId;
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(receivers.map((r) => r.close()));
  await closeDomainContext(second);
  await env.close();
});

async function slowReceiver(delayMs: number): Promise<Receiver> {
  const r = await startReceiver(() => ({ status: 200, delayMs }));
  receivers.push(r);
  return r;
}
async function start(ctx: DomainContext): Promise<Closable> {
  const w = await startWorkers(ctx);
  workers.push(w);
  return w;
}
const record = (type: string, n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => recordEvent(env.ctx, { type, data: { n: i } })));

/** Most requests the receiver was answering at once (each one is open from arrival until its reply). */
function mostAtOnce(r: Receiver, delayMs: number): number {
  const edges = r.requests
    .flatMap((q) => [
      [q.receivedAt, 1],
      [q.receivedAt + delayMs, -1],
    ])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (open += step));
  return most;
}

async function allSucceeded(subscriptionId: string, count: number) {
  await eventually(async () => {
    const rows = await env.ctx.db.delivery.findMany({
      where: { subscriptionId },
      select: { status: true, attempts: true },
    });
    if (rows.length !== count || rows.some((d) => d.status !== 'succeeded'))
      throw new Error(`${rows.filter((d) => d.status === 'succeeded').length} of ${count} succeeded`);
    expect(rows.every((d) => d.attempts === 1)).toBe(true);
  }, 30_000);
}

describe('endpoint lanes', () => {
  it(
    `never send more than ENDPOINT_MAX_IN_FLIGHT (${CAP}) requests at once to one endpoint, across two worker processes; ` +
      'each delivery once, one attempt',
    async () => {
      const r = await slowReceiver(40);
      const { sub } = await createSubscription(env.ctx, agentId, r.url, { events: ['booking.created'] });
      const [a, b] = [await start(env.ctx), await start(second)];
      await record('booking.created', 40);
      await allSucceeded(sub.id, 40);
      expect(r.requests).toHaveLength(40);
      expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(40);
      expect(mostAtOnce(r, 40)).toBeLessThanOrEqual(CAP);
      await Promise.all([a.close(), b.close()]);
    },
  );

  it("keep a busy endpoint's backlog out of the shared queue: another endpoint's delivery goes out while it drains", async () => {
    const busy = await slowReceiver(100);
    const quiet = await slowReceiver(0);
    const { sub } = await createSubscription(env.ctx, agentId, busy.url, { events: ['booking.updated'] });
    await createSubscription(env.ctx, agentId, quiet.url, { events: ['booking.cancelled'] });
    const w = await start(env.ctx);
    await record('booking.updated', 30);
    await busy.waitForCount(1);
    // The backlog waits in the endpoint's lane: at most its slots' worth of jobs in the queue, and no attempt used.
    const counts = await env.ctx.queues.deliveries[0].getJobCounts('waiting', 'active', 'delayed');
    expect(counts.waiting + counts.active + counts.delayed).toBeLessThanOrEqual(CAP);
    expect(
      await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'pending', attempts: { gt: 0 } } }),
    ).toBe(0);
    await record('booking.cancelled', 1);
    await quiet.waitForCount(1);
    expect(busy.requests.length).toBeLessThan(30);
    await allSucceeded(sub.id, 30);
    await w.close();
  });

  it('let another worker, or the sweeper, finish what a stopped worker left waiting', async () => {
    const r = await slowReceiver(50);
    const { sub } = await createSubscription(env.ctx, agentId, r.url, { events: ['booking.confirmed'] });
    const first = await start(env.ctx);
    await record('booking.confirmed', 20);
    await r.waitForCount(2);
    await first.close(); // its lanes stop after their current request and give their slots back
    const sentBeforeStop = r.requests.length;
    expect(sentBeforeStop).toBeLessThan(20);
    await start(second);
    // Nothing new arrives for the endpoint, so nothing starts a lane: the sweep admits the waiting deliveries.
    await sweepDueDeliveries(second);
    await allSucceeded(sub.id, 20);
    expect(r.requests).toHaveLength(20);
  });

  it('lose nothing when Redis loses the lanes: the sweeper admits the pending deliveries again', async () => {
    const r = await slowReceiver(50);
    const { sub } = await createSubscription(env.ctx, agentId, r.url, { events: ['booking.started'] });
    const w = await start(env.ctx);
    await record('booking.started', 12);
    await r.waitForCount(1);
    const keys = await env.ctx.redis.keys(`${env.config.QUEUE_PREFIX.replace(/[[\]*?]/g, '\\$&')}:endpoint:*`);
    if (keys.length > 0) await env.ctx.redis.del(...keys);
    await sweepDueDeliveries(env.ctx);
    await allSucceeded(sub.id, 12);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(12);
    await w.close();
  });
});
