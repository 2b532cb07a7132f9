import { deliveryQueueOf, fanOutEvents, recordEvent, sweepDueDeliveries } from '@bellhop/domain';
import { deliveryQueueNames, isCluster, keySlot, redisKeys, QUEUE_NAMES } from '@bellhop/queue';
import {
  clusterCrossSlotErrors,
  clusterOwnerOf,
  createAgentKey,
  createClusterTestEnv,
  describeOnCluster,
  eventually,
  startReceiver,
  wipeClusterNode,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startWorkers } from '../workers';

const SHARDS = 4;
// This file alone uses this prefix on this run's own cluster; a fixed one keeps the queues' slots the same on every run.
const PREFIX = '{bellhop-cluster-delivery}';

describeOnCluster('Redis Cluster: fan-out, delivery, retry and the sweeper', () => {
  let env: TestEnv;
  let workers: { close(): Promise<void> };
  let agentId: string;
  const receivers: Receiver[] = [];

  async function receivers6(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver[]> {
    const started = await Promise.all(Array.from({ length: 6 }, () => startReceiver(reply)));
    receivers.push(...started);
    return started;
  }

  const booking = (type: string) =>
    recordEvent(env.ctx, { type, data: { guest: 'Ana' }, bookingId: 'bkg_1', propertyId: 'prp_1' });

  async function allSucceeded(subscriptionIds: string[], count: number) {
    return eventually(async () => {
      const rows = await env.ctx.db.delivery.findMany({
        where: { subscriptionId: { in: subscriptionIds } },
        include: { attemptLog: { orderBy: { number: 'asc' } } },
      });
      if (rows.length < count || rows.some((d) => d.status !== 'succeeded'))
        throw new Error(`${rows.filter((d) => d.status === 'succeeded').length} of ${count} succeeded`);
      return rows;
    }, 20_000);
  }

  beforeAll(async () => {
    env = await createClusterTestEnv({ QUEUE_PREFIX: PREFIX, DELIVERY_QUEUE_SHARDS: String(SHARDS) });
    agentId = (await createAgentKey(env.ctx)).agentId;
    workers = await startWorkers(env.ctx);
  });
  afterAll(async () => {
    await workers.close();
    await Promise.all(receivers.map((r) => r.close()));
    await env.close();
  });

  it('gives every queue a hash tag of its own and spreads the delivery shards over the masters', async () => {
    expect(isCluster(env.ctx.redis) && isCluster(env.ctx.queueRedis)).toBe(true);
    const keys = redisKeys(env.config);
    const names = [...QUEUE_NAMES.filter((name) => name !== 'deliveries'), ...deliveryQueueNames(SHARDS)];
    const waitKey = (name: string) => `${keys.queuePrefix(name)}:${name}:wait`;
    // BullMQ's keys of one queue share its tag: one slot per queue.
    for (const name of names) expect(keySlot(`${keys.queuePrefix(name)}:${name}:meta`)).toBe(keySlot(waitKey(name)));
    expect(new Set(names.map((name) => keySlot(waitKey(name)))).size).toBe(names.length);
    const owners = await clusterOwnerOf(deliveryQueueNames(SHARDS).map(waitKey));
    expect(new Set(owners).size).toBeGreaterThanOrEqual(2);
    expect(env.ctx.queues.deliveries.map((queue) => queue.name)).toEqual([
      'deliveries',
      'deliveries-1',
      'deliveries-2',
      'deliveries-3',
    ]);
  });

  it('fans an event out to six endpoints, retries their 500s and delivers each exactly once more', async () => {
    const six = await receivers6((_req, n) => ({ status: n === 0 ? 500 : 200 }));
    const subs = await Promise.all(
      six.map((r) => createSubscription(env.ctx, agentId, r.url, { events: ['booking.created'] })),
    );
    const event = await booking('booking.created');
    const rows = await allSucceeded(
      subs.map(({ sub }) => sub.id),
      6,
    );
    for (const row of rows) expect(row.attemptLog.map((a) => a.statusCode)).toEqual([500, 200]);
    for (const r of six) {
      expect(r.requests).toHaveLength(2);
      expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual([event.id, event.id]);
    }
  });

  it('holds each subscription to its rate limit, the limits of several subscriptions counted on different nodes at once', async () => {
    const three = (await receivers6()).slice(0, 3);
    const subs = await Promise.all(
      three.map((r) =>
        createSubscription(env.ctx, agentId, r.url, { events: ['booking.paid'], rateLimitPerSecond: 2 }),
      ),
    );
    await Promise.all(Array.from({ length: 6 }, () => booking('booking.paid')));
    const rows = await allSucceeded(
      subs.map(({ sub }) => sub.id),
      18,
    );
    expect(rows.map((d) => d.attempts)).toEqual(Array(18).fill(1));
    for (const r of three) {
      const times = r.requests.map((q) => q.receivedAt).sort((x, y) => x - y);
      expect(times).toHaveLength(6);
      expect(times[5] - times[0]).toBeGreaterThanOrEqual(1000);
    }
  });

  it('re-admits, with the sweeper, the deliveries whose jobs and lanes were on a node that lost its keys', async () => {
    await workers.close();
    const six = await receivers6();
    const subs = await Promise.all(
      six.map((r) => createSubscription(env.ctx, agentId, r.url, { events: ['booking.cancelled'] })),
    );
    const event = await booking('booking.cancelled');
    await fanOutEvents(env.ctx, [event.id]);
    const pending = await env.ctx.db.delivery.findMany({
      where: { eventId: event.id },
      include: { subscription: true },
    });
    expect(pending).toHaveLength(6);
    // The node holding the first endpoint's delivery queue loses every key of this test.
    const queueOf = (webhookUrl: string | null) => deliveryQueueOf(env.ctx, webhookUrl ?? '');
    const waitKey = (webhookUrl: string | null) =>
      `${redisKeys(env.config).queuePrefix(queueOf(webhookUrl).name)}:${queueOf(webhookUrl).name}:wait`;
    const [lost] = await clusterOwnerOf([waitKey(pending[0].subscription.webhookUrl)]);
    expect(await queueOf(pending[0].subscription.webhookUrl).getJob(pending[0].id)).toBeDefined();
    await wipeClusterNode(lost, env.config.QUEUE_PREFIX);
    expect(await queueOf(pending[0].subscription.webhookUrl).getJob(pending[0].id)).toBeUndefined();

    const readmitted = await sweepDueDeliveries(env.ctx);
    expect(readmitted).toBeGreaterThanOrEqual(1);
    for (const delivery of pending)
      expect(await queueOf(delivery.subscription.webhookUrl).getJob(delivery.id)).toBeDefined();
    workers = await startWorkers(env.ctx);
    await allSucceeded(
      subs.map(({ sub }) => sub.id),
      6,
    );
    await new Promise((settle) => setTimeout(settle, 500));
    for (const r of six) expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual([event.id]);
  });

  // ioredis refuses a multi-key call across slots before sending it (the tests above would fail); this catches what it cannot see.
  it('no master answered CROSSSLOT', async () => {
    expect(await clusterCrossSlotErrors()).toBe(0);
  });
});
