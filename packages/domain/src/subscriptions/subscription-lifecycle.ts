import type { WebhookSubscription } from '@bellhop/db';
import { generateSecret } from '@bellhop/webhooks';
import type { DomainContext } from '../context';
import { findSubscriptionForAgent } from './subscription-data';
import { newSigningKeyColumns, signsV1a, type PreviousSecret, type PreviousSigningKey } from './secrets';

export interface RotatedSecret {
  subscription: WebhookSubscription;
  secret: string;
  previousSecretExpiresAt: Date;
}

const stillValid = <T extends { expires_at: string }>(stored: unknown, now: Date) =>
  ((Array.isArray(stored) ? stored : []) as T[]).filter((p) => new Date(p.expires_at) > now);

/** A v1a subscription's key pair turns over with its secret: the old key keeps signing beside the new one until `until`. */
function rotatedKeyData(ctx: DomainContext, sub: WebhookSubscription, until: Date, now: Date) {
  if (!signsV1a(sub.signatureScheme) || !sub.signingKeyEncrypted || !sub.signingPublicKey) return {};
  const previous: PreviousSigningKey[] = [
    ...stillValid<PreviousSigningKey>(sub.previousSigningKeys, now),
    { key_encrypted: sub.signingKeyEncrypted, public_key: sub.signingPublicKey, expires_at: until.toISOString() },
  ];
  return { ...newSigningKeyColumns(ctx), previousSigningKeys: previous };
}

/**
 * Soft-deletes: the row stays for delivery history, but it is invisible and gets nothing new.
 * Deliveries still waiting are cancelled in the same transaction.
 */
export async function deleteSubscription(
  ctx: DomainContext,
  ownerAgentId: string,
  id: string,
): Promise<{ cancelledDeliveries: number }> {
  const current = await findSubscriptionForAgent(ctx, ownerAgentId, id);
  const [, cancelled] = await ctx.db.$transaction([
    ctx.db.webhookSubscription.update({ where: { id: current.id }, data: { deletedAt: new Date(), isActive: false } }),
    ctx.db.delivery.updateMany({
      where: { subscriptionId: current.id, status: 'pending' },
      data: {
        status: 'cancelled',
        cancelledReason: 'subscription deleted',
        nextAttemptAt: null,
        heldAt: null,
        pausedAt: null,
        completedAt: new Date(),
      },
    }),
  ]);
  ctx.logger.info('webhook subscription deleted', {
    subscriptionId: current.id,
    ownerAgentId,
    cancelledDeliveries: cancelled.count,
  });
  return { cancelledDeliveries: cancelled.count };
}

/** New signing secret (and v1a key pair); the old ones keep signing beside them for SECRET_ROTATION_OVERLAP. */
export async function rotateSubscriptionSecret(
  ctx: DomainContext,
  ownerAgentId: string,
  id: string,
  now = new Date(),
): Promise<RotatedSecret> {
  const current = await findSubscriptionForAgent(ctx, ownerAgentId, id);
  const secret = generateSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + ctx.config.SECRET_ROTATION_OVERLAP);
  const previousSecrets: PreviousSecret[] = [
    ...stillValid<PreviousSecret>(current.previousSecrets, now),
    { secret_encrypted: current.secretEncrypted, expires_at: previousSecretExpiresAt.toISOString() },
  ];
  const subscription = await ctx.db.webhookSubscription.update({
    where: { id: current.id },
    data: {
      secretEncrypted: ctx.secrets.encrypt(secret),
      previousSecrets,
      ...rotatedKeyData(ctx, current, previousSecretExpiresAt, now),
    },
  });
  ctx.logger.info('webhook secret rotated', { subscriptionId: current.id, ownerAgentId, previousSecretExpiresAt });
  return { subscription, secret, previousSecretExpiresAt };
}
