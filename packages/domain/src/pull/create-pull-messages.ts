import { newId } from '@bellhop/events';
import { redisKeys } from '@bellhop/queue';
import { publishPullSignal } from '@bellhop/realtime-bus';
import type { DomainContext } from '../context';
import { insertPullMessages } from './pull-queries';

/**
 * Stores the messages of pull subscriptions (numbered in commit order, see pull-queries), then
 * wakes their live streams. Nothing is enqueued: the agent reads them. A lost signal costs only
 * latency: each stream also reads Postgres on its heartbeat.
 */
export async function createPullMessages(
  ctx: DomainContext,
  pairs: { eventId: string; subscriptionId: string; deliveryId?: string }[],
  now = new Date(),
): Promise<void> {
  const created = await insertPullMessages(
    ctx,
    pairs.map((pair) => ({ ...pair, deliveryId: pair.deliveryId ?? newId('delivery') })),
    now,
  );
  const prefix = redisKeys(ctx.config).prefix;
  const signals = await Promise.allSettled(
    created.map((c) => publishPullSignal(ctx.redis, { prefix }, c.subscriptionId, c.last)),
  );
  const failed = signals.filter((s) => s.status === 'rejected').length;
  if (failed > 0) ctx.logger.warn('pull stream signal not published; streams catch up on their next read', { failed });
}
