import type { Prisma, WebhookSubscription } from '@bellhop/db';
import type { DomainContext } from '@bellhop/domain';
import { newId } from '@bellhop/events';
import { generateSecret } from '@bellhop/webhooks';

/** A subscription row written straight to Postgres (the CRUD API belongs to another area). */
export async function createSubscription(
  ctx: DomainContext,
  ownerAgentId: string,
  url: string,
  extra: Partial<Prisma.WebhookSubscriptionUncheckedCreateInput> = {},
): Promise<{ sub: WebhookSubscription; secret: string }> {
  const secret = generateSecret();
  const sub = await ctx.db.webhookSubscription.create({
    data: {
      id: newId('subscription'),
      ownerAgentId,
      agentName: 'test-agent',
      webhookUrl: url,
      events: ['booking.*'],
      secretEncrypted: ctx.secrets.encrypt(secret),
      timeoutMs: 5000,
      ...extra,
    },
  });
  return { sub, secret };
}
