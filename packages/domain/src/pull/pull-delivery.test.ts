import { newId } from '@bellhop/events';
import {
  createAgentKey,
  createHostWithToken,
  createPartnerKey,
  createTestEnv,
  deleteKeys,
  eventually,
  type TestEnv,
} from '@bellhop/testing';
import { revokeHostAccess } from '../access/grants';
import { fanOutEvents } from '../deliveries/fan-out';
import { runDelivery, runDeliveryJob } from '../deliveries/run-delivery';
import { sweepDueDeliveries, sweepUnfannedEvents } from '../deliveries/sweep';
import type { WebhookTransport } from '../deliveries/transport';
import { insertEvent } from '../events/record-event';
import { createSubscription } from '../subscriptions/subscriptions.service';
import { createPullMessages } from './create-pull-messages';
import { readPullMessages } from './pull-messages';
import { insertPullMessagesOn } from './pull-queries';

let env: TestEnv;
let agentId: string;
let hostId: string;

beforeAll(async () => {
  env = await createTestEnv();
  ({ agentId } = await createAgentKey(env.ctx));
  ({ hostId } = await createHostWithToken(env.ctx));
});
afterAll(async () => {
  await env.close();
});

async function pullSubscription(): Promise<string> {
  const { subscription } = await createSubscription(env.ctx, agentId, {
    agent_name: 'offline agent',
    delivery: 'pull',
    events: ['booking.*'],
  });
  return subscription.id;
}

const recordEvent = () =>
  env.ctx.db.$transaction((tx) => insertEvent(tx, { type: 'booking.created', data: { guest: 'Ana' }, hostId }));

const cursors = async (subscriptionId: string, after: bigint) =>
  (await readPullMessages(env.ctx, agentId, subscriptionId, { after, limit: 100 })).items.map((m) => [m.cursor, m.id]);

/** Sessions of this test database waiting for a row lock. */
async function lockWaiters(): Promise<number> {
  const { rows } = await env.ctx.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return rows[0].n;
}

describe('pull message numbers', () => {
  it('commit in order: a fan-out numbering while another is still open waits for it, so a reader never skips a message', async () => {
    const subscriptionId = await pullSubscription();
    const [early, late] = [await recordEvent(), await recordEvent()];
    const open = await env.ctx.sql.connect();
    try {
      await open.query('BEGIN');
      await insertPullMessagesOn(
        open,
        [{ deliveryId: newId('delivery'), eventId: early.id, subscriptionId }],
        new Date(),
      );
      const second = createPullMessages(env.ctx, [{ eventId: late.id, subscriptionId }]);
      await eventually(async () => expect(await lockWaiters()).toBeGreaterThan(0));
      // Neither is visible while the first is open, and the second cannot commit a number before it.
      expect(await cursors(subscriptionId, 0n)).toEqual([]);
      await open.query('COMMIT');
      await second;
    } finally {
      open.release();
    }
    expect(await cursors(subscriptionId, 0n)).toEqual([
      ['1', early.id],
      ['2', late.id],
    ]);
  });

  it('are given once: a fan-out run again (a sweep, a retried job) adds no message and no number', async () => {
    const subscriptionId = await pullSubscription();
    const event = await recordEvent();
    await fanOutEvents(env.ctx, [event.id]);
    await fanOutEvents(env.ctx, [event.id]);
    const next = await recordEvent();
    await fanOutEvents(env.ctx, [next.id]);
    expect(await cursors(subscriptionId, 0n)).toEqual([
      ['1', event.id],
      ['2', next.id],
    ]);
  });
});

describe('the delivery worker and the sweeper', () => {
  it('never send a pull message: no job is enqueued, a stray job sends nothing, and the sweep leaves it alone', async () => {
    const subscriptionId = await pullSubscription();
    const event = await recordEvent();
    await fanOutEvents(env.ctx, [event.id]);
    const delivery = await env.ctx.db.delivery.findFirstOrThrow({ where: { subscriptionId } });
    expect(delivery).toMatchObject({ status: 'pending', nextAttemptAt: null, attempts: 0 });
    for (const queue of env.ctx.queues.deliveries) expect(await queue.getJob(delivery.id)).toBeUndefined();

    const sent: string[] = [];
    const transport: WebhookTransport = async (req) => {
      sent.push(req.url);
      return { statusCode: 200, headers: {}, body: '' };
    };
    expect(await runDelivery(env.ctx, delivery.id, transport)).toMatchObject({ kind: 'skipped' });
    expect(await runDeliveryJob(env.ctx, { deliveryId: delivery.id, laneId: delivery.id }, transport)).toEqual({
      kind: 'lane',
      sent: 0,
    });
    await sweepDueDeliveries(env.ctx, new Date(Date.now() + 86_400_000));
    for (const queue of env.ctx.queues.deliveries) expect(await queue.getJob(delivery.id)).toBeUndefined();
    expect(sent).toEqual([]);
    expect(await env.ctx.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
  });
});

describe('a Redis wipe', () => {
  it('loses nothing: stored messages stay readable, and an event not yet fanned out is swept and numbered', async () => {
    const subscriptionId = await pullSubscription();
    const stored = await recordEvent();
    await fanOutEvents(env.ctx, [stored.id]);
    const pending = await recordEvent();
    await deleteKeys(env.config, env.config.QUEUE_PREFIX);

    const swept = await sweepUnfannedEvents(env.ctx, new Date(Date.now() + 60_000));
    expect(swept).toBeGreaterThanOrEqual(1);
    const job = await env.ctx.queues.events.getJob(pending.id);
    expect(job?.data.eventIds).toEqual([pending.id]);
    await fanOutEvents(env.ctx, job!.data.eventIds); // what the events worker does with the swept job
    expect(await cursors(subscriptionId, 0n)).toEqual([
      ['1', stored.id],
      ['2', pending.id],
    ]);
  });
});

describe('a revoked grant', () => {
  it("hides a partner's unread messages about the host, and the host's later events never reach it", async () => {
    const partner = await createPartnerKey(env.ctx, [hostId]);
    const { subscription } = await createSubscription(env.ctx, partner.agentId, {
      agent_name: 'offline partner',
      delivery: 'pull',
      events: ['booking.*'],
    });
    const read = async () =>
      (await readPullMessages(env.ctx, partner.agentId, subscription.id, { after: 0n, limit: 100 })).items.map(
        (m) => m.id,
      );
    const before = await recordEvent();
    await fanOutEvents(env.ctx, [before.id]);
    expect(await read()).toEqual([before.id]);

    await revokeHostAccess(env.ctx, hostId, partner.agentId);
    const after = await recordEvent();
    await fanOutEvents(env.ctx, [after.id]);
    expect(await read()).toEqual([]);
  });
});
