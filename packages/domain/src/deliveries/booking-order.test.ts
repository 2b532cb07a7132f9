import { once } from 'node:events';
import { newId } from '@bellhop/events';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { holdDelivery } from './booking-order';
import { sweepDueDeliveries } from './sweep';

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
      agentName: 'order-test',
      webhookUrl: 'http://127.0.0.1:9/hook',
      events: ['*'],
      secretEncrypted: 'unused',
      ordering: 'booking',
    },
  });
});
afterAll(async () => {
  await env.close();
});

/** One booking's events a second apart (fanned out unless said otherwise) and this subscription's deliveries of them. */
async function chain(bookingId: string, types: string[], unfanned: number[] = []) {
  const start = Date.now() - 60_000;
  const events = types.map((type, i) => ({
    id: newId('event'),
    type,
    bookingId,
    data: {},
    createdAt: new Date(start + i * 1000),
    fannedOutAt: unfanned.includes(i) ? null : new Date(),
  }));
  await env.ctx.db.event.createMany({ data: events });
  const deliveries = events.map((e) => ({
    id: newId('delivery'),
    eventId: e.id,
    subscriptionId,
    orderedBookingId: bookingId,
    attempts: 0,
    nextAttemptAt: new Date(),
  }));
  await env.ctx.db.delivery.createMany({ data: deliveries });
  return { events, deliveries };
}
const row = (id: string) => env.ctx.db.delivery.findUniqueOrThrow({ where: { id } });
const isWaiting = async (id: string) =>
  (await env.ctx.redis.zscore(`${env.config.QUEUE_PREFIX}:endpoint:http://127.0.0.1:9:waiting`, id)) !== null ||
  (await env.ctx.redis.zscore(`${env.config.QUEUE_PREFIX}:endpoint:http://127.0.0.1:9:sending`, id)) !== null;

describe('booking order', () => {
  it('holds only a delivery with an earlier pending one of its booking, or an earlier event of it not fanned out', async () => {
    const { deliveries } = await chain('bk_hold', ['booking.created', 'booking.confirmed']);
    expect(await holdDelivery(env.ctx, deliveries[0])).toBe(false);
    expect(await holdDelivery(env.ctx, deliveries[1])).toBe(true);
    expect(await row(deliveries[1].id)).toMatchObject({ nextAttemptAt: null, attempts: 0 });
    expect((await row(deliveries[1].id)).heldAt).not.toBeNull();

    const late = await chain('bk_late', ['booking.created', 'booking.confirmed'], [0]);
    await env.ctx.db.delivery.update({ where: { id: late.deliveries[0].id }, data: { status: 'succeeded' } });
    expect(await holdDelivery(env.ctx, late.deliveries[1])).toBe(true);
  });

  it('the sweep releases the next delivery whose release was lost (a worker died after writing the outcome), one at a time', async () => {
    const { deliveries } = await chain('bk_lost', ['booking.created', 'booking.confirmed', 'booking.cancelled']);
    expect(await holdDelivery(env.ctx, deliveries[1])).toBe(true);
    expect(await holdDelivery(env.ctx, deliveries[2])).toBe(true);
    await sweepDueDeliveries(env.ctx);
    expect((await row(deliveries[1].id)).heldAt).not.toBeNull();

    // The outcome is written, the worker dies before its release.
    await env.ctx.db.delivery.update({
      where: { id: deliveries[0].id },
      data: { status: 'succeeded', nextAttemptAt: null },
    });
    await sweepDueDeliveries(env.ctx);
    expect(await row(deliveries[1].id)).toMatchObject({ heldAt: null, status: 'pending' });
    expect((await row(deliveries[1].id)).nextAttemptAt).not.toBeNull();
    expect(await isWaiting(deliveries[1].id)).toBe(true);
    expect((await row(deliveries[2].id)).heldAt).not.toBeNull();
  });

  it('waits for an earlier event still to be fanned out, and goes once it is', async () => {
    const { events, deliveries } = await chain('bk_unfanned', ['booking.created', 'booking.confirmed'], [0]);
    await env.ctx.db.delivery.delete({ where: { id: deliveries[0].id } }); // the created event goes to other subscriptions only
    expect(await holdDelivery(env.ctx, deliveries[1])).toBe(true);
    await sweepDueDeliveries(env.ctx);
    expect((await row(deliveries[1].id)).heldAt).not.toBeNull();
    await env.ctx.db.event.update({ where: { id: events[0].id }, data: { fannedOutAt: new Date() } });
    await sweepDueDeliveries(env.ctx);
    expect((await row(deliveries[1].id)).heldAt).toBeNull();
  });
});
