import { GRANT_REVOKED, recordEvent, revokeHostAccess, sendTestWebhook } from '@bellhop/domain';
import {
  createAgentKey,
  createHostWithToken,
  createPartnerKey,
  createTestEnv,
  eventually,
  startReceiver,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startWorkers } from './index';

let env: TestEnv;
let workers: { close(): Promise<void> };
const receivers: Receiver[] = [];
async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  env = await createTestEnv();
  workers = await startWorkers(env.ctx);
});
afterAll(async () => {
  await workers.close();
  await Promise.all(receivers.map((r) => r.close()));
  await env.close();
});

const hostEvent = (hostId: string | null, note: string) =>
  recordEvent(env.ctx, { type: 'booking.updated', hostId, data: { note } });
const notesOf = (r: Receiver) => r.requests.map((q) => JSON.parse(q.body).data.note).sort();
const settle = () => new Promise((done) => setTimeout(done, 500));

describe('what a partner agent hears', () => {
  it('only events of the hosts that granted it; a platform agent hears all of them, hostless ones too', async () => {
    const hostA = await createHostWithToken(env.ctx);
    const hostB = await createHostWithToken(env.ctx);
    const partner = await createPartnerKey(env.ctx, [hostA.hostId]);
    const platform = await createAgentKey(env.ctx);
    const partnerHook = await receiver();
    const platformHook = await receiver();
    const { sub } = await createSubscription(env.ctx, partner.agentId, partnerHook.url);
    await createSubscription(env.ctx, platform.agentId, platformHook.url);

    await Promise.all([hostEvent(hostA.hostId, 'a'), hostEvent(hostB.hostId, 'b'), hostEvent(null, 'none')]);
    await platformHook.waitForCount(3);
    await partnerHook.waitForCount(1);
    await settle();
    expect(notesOf(partnerHook)).toEqual(['a']);
    expect(notesOf(platformHook)).toEqual(['a', 'b', 'none']);
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id } })).toBe(1);
  });

  it('nothing more once the grant is revoked: its unsent deliveries are cancelled with reason "grant revoked"', async () => {
    const host = await createHostWithToken(env.ctx);
    const partner = await createPartnerKey(env.ctx, [host.hostId]);
    const failing = await receiver(() => ({ status: 500 }));
    // A long first retry keeps the delivery pending while the grant is revoked.
    const { sub } = await createSubscription(env.ctx, partner.agentId, failing.url, { retryScheduleMs: [60_000] });
    await hostEvent(host.hostId, 'before');
    await failing.waitForCount(1);
    const pending = await eventually(async () => {
      const d = await env.ctx.db.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
      if (d.attempts !== 1) throw new Error('first attempt not recorded yet');
      return d;
    });
    expect(pending.status).toBe('pending');

    expect(await revokeHostAccess(env.ctx, host.hostId, partner.agentId)).toBe(true);
    const cancelled = await env.ctx.db.delivery.findUniqueOrThrow({ where: { id: pending.id } });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledReason: GRANT_REVOKED });

    await hostEvent(host.hostId, 'after');
    await settle();
    expect(failing.requests).toHaveLength(1);
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id } })).toBe(1);
  });

  it('a delivery created before a revocation is cancelled at send time, never sent', async () => {
    const host = await createHostWithToken(env.ctx);
    const partner = await createPartnerKey(env.ctx, [host.hostId]);
    const hook = await receiver();
    const { sub } = await createSubscription(env.ctx, partner.agentId, hook.url);
    // The grant goes straight from the table, as a revocation racing the fan-out would leave it.
    await workers.close();
    await hostEvent(host.hostId, 'raced');
    const { fanOutEvents } = await import('@bellhop/domain');
    const event = await env.ctx.db.event.findFirstOrThrow({ where: { hostId: host.hostId } });
    await fanOutEvents(env.ctx, [event.id]);
    await env.ctx.db.hostAgentGrant.deleteMany({ where: { hostId: host.hostId } });
    workers = await startWorkers(env.ctx);
    const delivery = await eventually(async () => {
      const d = await env.ctx.db.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
      if (d.status === 'pending') throw new Error('still pending');
      return d;
    });
    expect(delivery).toMatchObject({ status: 'cancelled', cancelledReason: GRANT_REVOKED, attempts: 0 });
    expect(hook.requests).toHaveLength(0);
  });

  it('still gets what is addressed to it alone: its test webhooks', async () => {
    const partner = await createPartnerKey(env.ctx, []);
    const hook = await receiver();
    const { sub } = await createSubscription(env.ctx, partner.agentId, hook.url, { events: ['booking.*'] });
    await sendTestWebhook(env.ctx, { ownerAgentId: partner.agentId, subscriptionId: sub.id });
    const [req] = await hook.waitForCount(1);
    expect(JSON.parse(req.body).type).toBe('webhook.test');
  });
});
