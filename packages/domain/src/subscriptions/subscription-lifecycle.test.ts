import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { subscriptionSigningSecrets } from './secrets';
import { rotateSubscriptionSecret } from './subscription-lifecycle';
import { createSubscription } from './subscriptions.service';

let env: TestEnv;
let owner: string;
beforeAll(async () => {
  env = await createTestEnv({ SECRET_ROTATION_OVERLAP: '1h' });
  owner = (await createAgentKey(env.ctx)).agentId;
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3_600_000;
const input = { agent_name: 'a', webhook_url: 'https://127.0.0.1/hooks', events: ['*'] };

describe('secret rotation overlap', () => {
  it('signs with both secrets during the overlap and only the new one after it', async () => {
    const { subscription, secret: original } = await createSubscription(env.ctx, owner, input);
    const t0 = new Date();
    const rotated = await rotateSubscriptionSecret(env.ctx, owner, subscription.id, t0);
    expect(rotated.previousSecretExpiresAt.getTime()).toBe(t0.getTime() + HOUR);
    const row = rotated.subscription;
    expect(subscriptionSigningSecrets(env.ctx, row, new Date(t0.getTime() + HOUR - 1))).toEqual([
      rotated.secret,
      original,
    ]);
    expect(subscriptionSigningSecrets(env.ctx, row, new Date(t0.getTime() + HOUR))).toEqual([rotated.secret]);
  });

  it('drops expired previous secrets on the next rotation and keeps live ones', async () => {
    const { subscription, secret: first } = await createSubscription(env.ctx, owner, input);
    const t0 = new Date();
    const second = await rotateSubscriptionSecret(env.ctx, owner, subscription.id, t0);
    const third = await rotateSubscriptionSecret(env.ctx, owner, subscription.id, new Date(t0.getTime() + HOUR / 2));
    expect(subscriptionSigningSecrets(env.ctx, third.subscription, new Date(t0.getTime() + HOUR / 2))).toEqual([
      third.secret,
      first,
      second.secret,
    ]);
    const fourth = await rotateSubscriptionSecret(env.ctx, owner, subscription.id, new Date(t0.getTime() + 2 * HOUR));
    expect(fourth.subscription.previousSecrets).toHaveLength(1);
    expect(subscriptionSigningSecrets(env.ctx, fourth.subscription, new Date(t0.getTime() + 2 * HOUR))).toEqual([
      fourth.secret,
      third.secret,
    ]);
  });

  it('never stores a plain secret', async () => {
    const { subscription, secret } = await createSubscription(env.ctx, owner, input);
    const rotated = await rotateSubscriptionSecret(env.ctx, owner, subscription.id);
    const stored = JSON.stringify(
      await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: subscription.id } }),
      (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), // the pull cursors
    );
    for (const plain of [secret, rotated.secret]) expect(stored).not.toContain(plain.slice(6));
  });
});
