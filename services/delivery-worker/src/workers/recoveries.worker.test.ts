import { requestRecovery } from '@bellhop/domain';
import { newId } from '@bellhop/events';
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

let env: TestEnv;
let receiver: Receiver;
let workers: { close(): Promise<void> };

beforeAll(async () => {
  env = await createTestEnv();
  receiver = await startReceiver();
  workers = await startWorkers(env.ctx);
});
afterAll(async () => {
  await workers.close();
  await receiver.close();
  await env.close();
});

async function delivery(subscriptionId: string, status: 'failed' | 'cancelled' | 'succeeded', attempts: number) {
  const event = await env.ctx.db.event.create({
    data: { id: newId('event'), type: 'booking.created', data: {}, fannedOutAt: new Date() },
  });
  const row = await env.ctx.db.delivery.create({
    data: { id: newId('delivery'), eventId: event.id, subscriptionId, status, attempts, completedAt: new Date() },
  });
  for (let number = 1; number <= attempts; number++) {
    await env.ctx.db.deliveryAttempt.create({
      data: {
        id: newId('attempt'),
        deliveryId: row.id,
        number,
        startedAt: new Date(),
        durationMs: 5,
        statusCode: status === 'succeeded' ? 200 : 500,
      },
    });
  }
  return { id: row.id, eventId: event.id };
}

describe('recoveries worker', () => {
  it('runs a requested recovery: failed and cancelled deliveries are sent again, each as one more attempt; a succeeded one is not', async () => {
    const { agentId } = await createAgentKey(env.ctx);
    const { sub } = await createSubscription(env.ctx, agentId, receiver.url);
    const failed = await delivery(sub.id, 'failed', 2);
    const cancelled = await delivery(sub.id, 'cancelled', 0);
    const succeeded = await delivery(sub.id, 'succeeded', 1);

    const recovery = await requestRecovery(env.ctx, agentId, sub.id, new Date(Date.now() - 3_600_000));

    await eventually(async () =>
      expect(await env.ctx.db.recovery.findUniqueOrThrow({ where: { id: recovery.id } })).toMatchObject({
        status: 'completed',
        resent: 2,
      }),
    );
    await eventually(async () =>
      expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'succeeded' } })).toBe(3),
    );
    expect(receiver.requests.map((r) => r.headers['webhook-id']).sort()).toEqual(
      [failed.eventId, cancelled.eventId].sort(),
    );
    const numbers = async (id: string) =>
      (await env.ctx.db.deliveryAttempt.findMany({ where: { deliveryId: id }, orderBy: { number: 'asc' } })).map(
        (a) => a.number,
      );
    expect(await numbers(failed.id)).toEqual([1, 2, 3]);
    expect(await numbers(cancelled.id)).toEqual([1]);
    expect(await numbers(succeeded.id)).toEqual([1]);
  });
});
