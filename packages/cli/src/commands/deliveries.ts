import { closeDomainContext, createDomainContext, recoverDeliveries, subscriptionOwner } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import { requireFlag, UsageError, type Command } from '../command';
import { print } from '../output';

export const deliveriesReplay: Command = {
  usage: 'deliveries replay --subscription ID --since ISO   (re-sends failed/cancelled deliveries created since then)',
  async run(ctx) {
    const subscriptionId = requireFlag(ctx, 'subscription');
    const since = new Date(requireFlag(ctx, 'since'));
    if (Number.isNaN(since.getTime())) throw new UsageError('--since must be an ISO date, e.g. 2026-11-23T00:00:00Z');
    const owner = await subscriptionOwner(ctx.db(), subscriptionId);
    if (!owner) throw new UsageError(`no subscription ${subscriptionId}`);
    const domain = createDomainContext(ctx.config, createLogger('cli', 'warn'));
    try {
      const replayed = await recoverDeliveries(domain, owner, subscriptionId, since);
      print(ctx.out, { subscription_id: subscriptionId, since: since.toISOString(), replayed }, () => `re-enqueued ${replayed} deliveries of ${subscriptionId}`);
    } finally {
      await closeDomainContext(domain);
    }
  },
};
