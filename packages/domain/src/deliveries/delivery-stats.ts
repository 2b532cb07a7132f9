import type { DomainContext } from '../context';
import { breakerHealth, type BreakerHealth } from './circuit-breaker';
import { findSubscriptionForAgent } from '../subscriptions/subscription-data';
import { dataRetainedSince } from '../retention/horizon';

export interface DeliveryStats {
  counts: { pending: number; succeeded: number; failed: number; cancelled: number };
  successRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  failedAttempts: number;
  lastSuccessfulCall: Date | null;
  /** The circuit breaker's view of the endpoint ('off' when the subscription has none). */
  health: BreakerHealth;
  unhealthySince: Date | null;
  /** How far back this subscription's deliveries go at most: older ones are purged. */
  dataRetainedSince: Date;
}

const WINDOW_MS = 24 * 3_600_000;

/** Delivery counts of a subscription and its attempt latency percentiles over the last 24 hours. */
export async function subscriptionStats(
  ctx: DomainContext,
  ownerAgentId: string,
  subscriptionId: string,
): Promise<DeliveryStats> {
  const sub = await findSubscriptionForAgent(ctx, ownerAgentId, subscriptionId);
  const since = new Date(Date.now() - WINDOW_MS);
  const grouped = await ctx.db.delivery.groupBy({
    by: ['status'],
    where: { subscriptionId, createdAt: { gte: since } },
    _count: { _all: true },
  });
  const counts = { pending: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const row of grouped) counts[row.status] = row._count._all;
  const [latency] = await ctx.db.$queryRaw<{ p50: number | null; p95: number | null }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a.duration_ms) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY a.duration_ms) AS p95
    FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
    WHERE d.subscription_id = ${subscriptionId} AND a.started_at >= ${since}`;
  const finished = counts.succeeded + counts.failed;
  return {
    counts,
    successRate: finished === 0 ? null : counts.succeeded / finished,
    latencyP50Ms: latency?.p50 == null ? null : Math.round(Number(latency.p50)),
    latencyP95Ms: latency?.p95 == null ? null : Math.round(Number(latency.p95)),
    failedAttempts: sub.failedAttempts,
    lastSuccessfulCall: sub.lastSuccessfulCall,
    health: breakerHealth(sub),
    unhealthySince: sub.breakerOpenedAt,
    dataRetainedSince: dataRetainedSince(ctx.config),
  };
}
