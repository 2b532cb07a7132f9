import { recordEvent } from '@bellhop/domain';
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
let receiver: Receiver;
let agent: { agentId: string };

beforeAll(async () => {
  env = await createTestEnv({ SWEEP_INTERVAL: '200ms' });
  agent = await createAgentKey(env.ctx);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await env.close();
});

const record = (n: number) => recordEvent(env.ctx, { type: 'booking.created', data: { n } });

describe('nothing lost, nothing doubled', () => {
  it('delivers everything due from Postgres alone after the queue keys are wiped', async () => {
    const { sub } = await createSubscription(env.ctx, agent.agentId, receiver.url, { retryScheduleMs: [1500] });
    receiver.setReply(() => ({ status: 500 }));
    const workers = await startWorkers(env.ctx);
    try {
      const retried = await record(1);
      await receiver.waitForCount(1);
      await eventually(async () => {
        const d = await env.ctx.db.delivery.findFirstOrThrow({ where: { eventId: retried.id } });
        if (d.attempts !== 1) throw new Error('first attempt not recorded yet');
      });
      await workers.close();
      // Recorded while no worker runs: only the (about to be wiped) queue knows about it.
      const unfanned = await record(2);
      await deleteKeys(env.config.REDIS_URL, env.config.QUEUE_PREFIX);
      receiver.setReply(() => ({ status: 200 }));
      const restarted = await startWorkers(env.ctx);
      try {
        await eventually(async () => {
          const done = await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'succeeded' } });
          if (done !== 2) throw new Error(`${done} of 2 delivered`);
        }, 20_000);
        const ids = receiver.requests.map((r) => r.headers['webhook-id']);
        expect(ids.filter((id) => id === unfanned.id)).toHaveLength(1);
        expect(ids.filter((id) => id === retried.id)).toHaveLength(2);
      } finally {
        await restarted.close();
      }
    } finally {
      await workers.close().catch(() => undefined);
    }
  });

  it('two worker processes side by side deliver each message once', async () => {
    receiver.setReply(() => ({ status: 200 }));
    receiver.requests.length = 0;
    const { sub } = await createSubscription(env.ctx, agent.agentId, `${receiver.url}/pair`, {
      events: ['booking.created'],
    });
    const [a, b] = await Promise.all([startWorkers(env.ctx), startWorkers(env.ctx)]);
    try {
      const events = await Promise.all(Array.from({ length: 20 }, (_, i) => record(100 + i)));
      await eventually(async () => {
        const done = await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'succeeded' } });
        if (done !== events.length) throw new Error(`${done} of ${events.length} delivered`);
      }, 20_000);
      await new Promise((done) => setTimeout(done, 500));
      const toPair = receiver.requests.filter((r) => r.path === '/pair');
      expect(toPair).toHaveLength(events.length);
      expect(new Set(toPair.map((r) => r.headers['webhook-id'])).size).toBe(events.length);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
