import {
  createSubscription,
  recordEvent,
  rotateSubscriptionSecret,
  subscriptionPublicKeys,
  updateSubscription,
} from '@bellhop/domain';
import { createAgentKey, createTestEnv, startReceiver, type Receiver, type TestEnv } from '@bellhop/testing';
import { verifyWebhook } from '@bellhop/webhooks';
import { startWorkers } from './index';

let env: TestEnv;
let workers: { close(): Promise<void> };
let agentId: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  workers = await startWorkers(env.ctx);
  agentId = (await createAgentKey(env.ctx)).agentId;
});
afterAll(async () => {
  await workers.close();
  await Promise.all(receivers.map((r) => r.close()));
  await env.close();
});

async function subscribed(scheme: 'v1' | 'v1a' | 'both', type: string) {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const created = await createSubscription(env.ctx, agentId, {
    agent_name: `signing-${scheme}`,
    webhook_url: `${receiver.url}/hook`,
    events: [type],
    signature_scheme: scheme,
  });
  return { receiver, ...created };
}
const versions = (header: unknown) =>
  String(header)
    .split(' ')
    .map((entry) => entry.split(',')[0]);

describe('v1a (Ed25519) signatures on deliveries', () => {
  it('v1a: signed with the subscription key only; the receiver verifies with the public key, without any shared secret', async () => {
    const { receiver, subscription } = await subscribed('v1a', 'booking.created');
    expect(subscription.signingPublicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    await recordEvent(env.ctx, { type: 'booking.created', data: { n: 1 } });
    const [req] = await receiver.waitForCount(1);
    expect(versions(req.headers['webhook-signature'])).toEqual(['v1a']);
    expect(req.headers['x-webhook-signature']).toBeUndefined();
    expect(verifyWebhook(req.body, req.headers, { publicKeys: [subscription.signingPublicKey!] })).toMatchObject({
      type: 'booking.created',
    });
  });

  it('both: one v1 and one v1a entry, each verifiable on its own', async () => {
    const { receiver, subscription, secret } = await subscribed('both', 'booking.confirmed');
    await recordEvent(env.ctx, { type: 'booking.confirmed', data: { n: 2 } });
    const [req] = await receiver.waitForCount(1);
    expect(versions(req.headers['webhook-signature'])).toEqual(['v1', 'v1a']);
    expect(verifyWebhook(req.body, req.headers, secret)).toBeTruthy();
    expect(verifyWebhook(req.body, req.headers, { publicKeys: [subscription.signingPublicKey!] })).toBeTruthy();
  });

  it('rotation: the new key and the old one both sign during the overlap; the old public key is listed until it expires', async () => {
    const { receiver, subscription } = await subscribed('v1a', 'booking.cancelled');
    const rotated = await rotateSubscriptionSecret(env.ctx, agentId, subscription.id);
    const keys = subscriptionPublicKeys(rotated.subscription);
    expect(keys.current).not.toBe(subscription.signingPublicKey);
    expect(keys.previous).toEqual([
      { publicKey: subscription.signingPublicKey, expiresAt: rotated.previousSecretExpiresAt },
    ]);
    await recordEvent(env.ctx, { type: 'booking.cancelled', data: { n: 3 } });
    const [req] = await receiver.waitForCount(1);
    expect(versions(req.headers['webhook-signature'])).toEqual(['v1a', 'v1a']);
    expect(verifyWebhook(req.body, req.headers, { publicKeys: [keys.current!] })).toBeTruthy();
    expect(verifyWebhook(req.body, req.headers, { publicKeys: [subscription.signingPublicKey!] })).toBeTruthy();
  });

  it('switching a v1 subscription to v1a gives it a key pair then, and keeps it across a switch back and forth', async () => {
    const { subscription } = await subscribed('v1', 'booking.started');
    expect(subscription.signingPublicKey).toBeNull();
    const v1a = await updateSubscription(env.ctx, agentId, subscription.id, { signature_scheme: 'v1a' });
    expect(v1a.signingPublicKey).toMatch(/^whpk_/);
    await updateSubscription(env.ctx, agentId, subscription.id, { signature_scheme: 'v1' });
    expect(
      (await updateSubscription(env.ctx, agentId, subscription.id, { signature_scheme: 'both' })).signingPublicKey,
    ).toBe(v1a.signingPublicKey);
  });
});
