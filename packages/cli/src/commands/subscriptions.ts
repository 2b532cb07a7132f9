import { listAllSubscriptions } from '@bellhop/domain/subscriptions/list-all';
import type { CommandContext } from '../command';
import { print, table } from '../output';

export async function subscriptionsList(ctx: CommandContext): Promise<void> {
  const subs = await listAllSubscriptions(ctx.db());
  print(ctx.out, subs, () =>
    table(
      subs.map((s) => ({ ...s })),
      ['id', 'agent_name', 'url', 'events', 'active', 'failed_attempts'],
    ),
  );
}
