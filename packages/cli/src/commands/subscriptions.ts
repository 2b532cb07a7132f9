import { listAllSubscriptions } from '@bellhop/domain';
import type { Command } from '../command';
import { print, table } from '../output';

export const subscriptionsList: Command = {
  usage: 'subscriptions list   (every agent\'s webhook subscriptions)',
  async run(ctx) {
    const subs = await listAllSubscriptions(ctx.db());
    print(ctx.out, subs, () => table(subs.map((s) => ({ ...s })), ['id', 'agent_name', 'url', 'events', 'active', 'failed_attempts']));
  },
};
