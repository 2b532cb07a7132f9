import type { WebhookSubscription } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';

/** The caller's own, undeleted subscription; anyone else's is indistinguishable from a missing one. */
export async function ownedSubscription(ctx: DomainContext, ownerKeyId: string, id: string): Promise<WebhookSubscription> {
  const sub = await ctx.db.webhookSubscription.findFirst({ where: { id, ownerKeyId, deletedAt: null } });
  if (!sub) throw notFound('Webhook subscription');
  return sub;
}
