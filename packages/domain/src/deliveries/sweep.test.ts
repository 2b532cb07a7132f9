import { once } from 'node:events';
import { newId } from '@bellhop/events';
import { createRedis, createWorker } from '@bellhop/queue';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { deliveryJobId } from './enqueue-delivery';
import { sweepDueDeliveries, sweepUnfannedEvents } from './sweep';

let env: TestEnv;
let subscriptionId: string;

beforeAll(async () => {
  env = await createTestEnv();
  if (env.ctx.redis.status !== 'ready') await once(env.ctx.redis, 'ready');
  const agent = await createAgentKey(env.ctx);
  subscriptionId = newId('subscription');
  await env.ctx.db.webhookSubscription.create({
    data: {
      id: subscriptionId,
      ownerAgentId: agent.agentId,
      agentName: 'sweep-test',
      webhookUrl: 'http://127.0.0.1:9/hook',
      events: ['*'],
      secretEncrypted: 'unused',
    },
  });
});
afterAll(async () => {
  await env.close();
});

const past = (ms: number) => new Date(Date.now() - ms);

/** Event rows recorded a minute ago and never fanned out. */
async function unfannedEvents(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId('event'));
  await env.ctx.db.event.createMany({
    data: ids.map((id) => ({ id, type: 'booking.created', data: {}, createdAt: past(60_000) })),
  });
  return ids;
}

/** Runs these job ids to completion with a throwaway worker, so the queue holds them as finished. */
async function completeJobs(queueName: 'events' | 'deliveries', jobIds: string[]): Promise<void> {
  const connection = createRedis(env.config, 'worker');
  const worker = createWorker({ connection, config: env.config }, queueName, async () => 'done');
  const queue = queueName === 'events' ? env.ctx.queues.events : env.ctx.queues.deliveries[0];
  while ((await queue.getCompletedCount()) < jobIds.length) await new Promise((r) => setTimeout(r, 50));
  await worker.close();
  connection.disconnect();
}

describe('the sweepers', () => {
  it('hand every due delivery to its endpoint lane, across pages, and leave live jobs as they are', async () => {
    const eventIds = await unfannedEvents(1200);
    await env.ctx.db.event.updateMany({ data: { fannedOutAt: new Date() } });
    // 1,200 due deliveries (more than one page of 500); the last 200 wait for their third attempt.
    const deliveries = eventIds.map((eventId, i) => ({
      id: newId('delivery'),
      eventId,
      subscriptionId,
      attempts: i >= 1000 ? 2 : 0,
      nextAttemptAt: past(1000),
    }));
    await env.ctx.db.delivery.createMany({ data: deliveries });
    const jobIdOf = (d: { id: string; attempts: number }) => deliveryJobId(d.id, d.attempts);
    const queue = env.ctx.queues.deliveries[0];
    // 50 jobs that finished (kept for Bull Board) and 300 still waiting, marked so a replacement would show.
    const finished = deliveries.slice(0, 50);
    await queue.addBulk(
      finished.map((d) => ({ name: 'deliver', data: { deliveryId: d.id }, opts: { jobId: jobIdOf(d) } })),
    );
    await completeJobs('deliveries', finished.map(jobIdOf));
    const live = [...deliveries.slice(100, 250), ...deliveries.slice(1050, 1200)];
    await queue.addBulk(
      live.map((d) => ({
        name: 'deliver',
        data: { deliveryId: d.id, requestId: 'still-waiting' },
        opts: { jobId: jobIdOf(d) },
      })),
    );

    // All go to one endpoint: ENDPOINT_MAX_IN_FLIGHT of them take its slots (a job each, unless one
    // is live; a finished one is replaced), every other one waits in its lane; live jobs stay as they are.
    const lanes = env.config.ENDPOINT_MAX_IN_FLIGHT;
    const handedOn = await sweepDueDeliveries(env.ctx);
    expect(handedOn).toBeGreaterThanOrEqual(1200 - lanes);
    const key = (set: string) => `${env.config.QUEUE_PREFIX}:endpoint:http://127.0.0.1:9:${set}`;
    const [sending, inLane] = [
      await env.ctx.redis.zrange(key('sending'), '0', '-1'),
      await env.ctx.redis.zrange(key('waiting'), '0', '-1'),
    ];
    expect(sending).toHaveLength(lanes);
    expect(new Set([...sending, ...inLane])).toEqual(new Set(deliveries.map((d) => d.id)));
    const waiting = await queue.getWaiting(0, -1);
    expect(waiting.filter((job) => job.data.requestId === 'still-waiting')).toHaveLength(300);
    expect(waiting.length - 300).toBe(handedOn - inLane.length);
    // Every delivery has a live job or a place in the lane now: a second sweep hands on nothing.
    expect(await sweepDueDeliveries(env.ctx)).toBe(0);
    await queue.obliterate({ force: true });
  });

  it('re-enqueue fan-out for unfanned events without a job of their own, replacing finished ones and keeping live ones', async () => {
    await env.ctx.db.event.updateMany({ data: { fannedOutAt: new Date() } });
    const ids = await unfannedEvents(400);
    const queue = env.ctx.queues.events;
    await queue.addBulk(
      ids.slice(0, 30).map((id) => ({ name: 'fan-out', data: { eventIds: [id] }, opts: { jobId: id } })),
    );
    await completeJobs('events', ids.slice(0, 30));
    await queue.addBulk(
      ids
        .slice(30, 130)
        .map((id) => ({ name: 'fan-out', data: { eventIds: [id], requestId: 'still-waiting' }, opts: { jobId: id } })),
    );
    // One commit's shared job, named after its first event, enqueued long after (as no batch is): the second gets its own job as well.
    await queue.add('fan-out', { eventIds: [ids[130], ids[131]] }, { jobId: ids[130] });
    // Recorded just now: still in its own request's enqueue, so not the sweeper's business.
    const recent = newId('event');
    await env.ctx.db.event.create({ data: { id: recent, type: 'booking.created', data: {} } });

    expect(await sweepUnfannedEvents(env.ctx)).toBe(299);

    const waiting = await queue.getWaiting(0, -1);
    expect(new Set(waiting.map((job) => job.id))).toEqual(new Set(ids));
    expect(waiting.filter((job) => job.data.requestId === 'still-waiting')).toHaveLength(100);
    expect(await sweepUnfannedEvents(env.ctx)).toBe(0);
  });

  it('leave alone the events of a batch job still waiting, however long it waits, and sweep what is older than every live job', async () => {
    await env.ctx.db.event.updateMany({ data: { fannedOutAt: new Date() } });
    await env.ctx.queues.events.obliterate({ force: true });
    const lost = await unfannedEvents(1); // a minute ago, never enqueued
    const batch = Array.from({ length: 3 }, () => newId('event'));
    const committedAt = past(20_000); // a worker restarting after 20 s down finds its batch still waiting
    await env.ctx.db.event.createMany({
      data: batch.map((id) => ({ id, type: 'booking.created', data: {}, createdAt: committedAt })),
    });
    await env.ctx.queues.events.add(
      'fan-out',
      { eventIds: batch },
      { jobId: batch[0], timestamp: committedAt.getTime() + 5 },
    );

    expect(await sweepUnfannedEvents(env.ctx)).toBe(1);
    expect((await env.ctx.queues.events.getWaiting(0, -1)).map((job) => job.id).sort()).toEqual(
      [batch[0], lost[0]].sort(),
    );

    // The batch's job gone (finished, failed for good, or wiped), its events are swept each with a job of its own.
    await env.ctx.queues.events.obliterate({ force: true });
    expect(await sweepUnfannedEvents(env.ctx)).toBe(4);
  });
});
