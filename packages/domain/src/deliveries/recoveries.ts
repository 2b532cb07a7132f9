import type { Recovery } from '@bellhop/db';
import { invalid, notFound } from '@bellhop/errors';
import { newId } from '@bellhop/events';
import { QUEUES } from '@bellhop/queue';
import type { DomainContext } from '../context';
import { withinQueueBudget } from '../events/queue-outage';
import { assertActive } from './delivery-replay';
import { liveJobIds } from './live-job';
import { findSubscriptionForAgent } from '../subscriptions/subscription-data';
import { dataRetainedSince } from '../retention/horizon';

/** How far back a recovery may reach, and how many deliveries one recovery re-opens at most. */
export const RECOVERY_MAX_AGE_MS = 14 * 24 * 3_600_000;
export const RECOVERY_CAP = 10_000;

/** A recovery younger than this is still in its own request's enqueue. */
const RECOVERY_GRACE_MS = 5_000;
const SWEEP_BATCH = 500;

/** The job that runs a recovery; its id is the recovery's, so enqueueing it again is a no-op. */
export function recoveryJob(recovery: Pick<Recovery, 'id' | 'requestId'>) {
  return {
    name: QUEUES.recoveries.jobName,
    data: { recoveryId: recovery.id, ...(recovery.requestId ? { requestId: recovery.requestId } : {}) },
    opts: { jobId: recovery.id },
  };
}

/**
 * Records a request to resend a subscription's failed and cancelled deliveries created since
 * `since`, and hands it to the worker. The row is the record: if Redis is down the request still
 * succeeds, and the maintenance sweep enqueues the job later.
 */
export async function requestRecovery(
  ctx: DomainContext,
  ownerAgentId: string,
  subscriptionId: string,
  since: Date,
  requestId?: string,
): Promise<Recovery> {
  const sub = await findSubscriptionForAgent(ctx, ownerAgentId, subscriptionId);
  if (since.getTime() < Date.now() - RECOVERY_MAX_AGE_MS) {
    throw invalid('since reaches back more than 14 days', [{ field: 'since', message: 'must be at most 14 days ago' }]);
  }
  const retainedSince = dataRetainedSince(ctx.config);
  if (since < retainedSince) {
    throw invalid('since is before the data retention horizon', [
      {
        field: 'since',
        message: `must not be before data_retained_since (${retainedSince.toISOString()}): older deliveries are purged`,
      },
    ]);
  }
  assertActive(sub);
  const recovery = await ctx.db.recovery.create({
    data: { id: newId('recovery'), subscriptionId, since, requestId: requestId ?? null },
  });
  const job = recoveryJob(recovery);
  try {
    await withinQueueBudget(ctx, () => ctx.queues.recoveries.add(job.name, job.data, job.opts));
  } catch (error) {
    ctx.logger.warn('recovery recorded but not enqueued; the sweeper will pick it up', {
      recoveryId: recovery.id,
      error: (error as Error).message,
    });
  }
  return recovery;
}

/** One recovery of the caller's own subscription; anyone else's is indistinguishable from a missing one. */
export async function getRecovery(
  ctx: DomainContext,
  ownerAgentId: string,
  subscriptionId: string,
  recoveryId: string,
): Promise<Recovery> {
  const recovery = await ctx.db.recovery.findFirst({
    where: { id: recoveryId, subscriptionId, subscription: { ownerAgentId, deletedAt: null } },
  });
  if (!recovery) throw notFound('Recovery');
  return recovery;
}

/** Re-enqueues queued or interrupted recoveries whose job is gone (Redis wiped, enqueue failed, job failed). */
export async function sweepRecoveries(ctx: DomainContext, now = new Date()): Promise<number> {
  const open = await ctx.db.recovery.findMany({
    where: { status: { in: ['queued', 'running'] }, createdAt: { lte: new Date(now.getTime() - RECOVERY_GRACE_MS) } },
    select: { id: true, requestId: true },
    orderBy: { createdAt: 'asc' },
    take: SWEEP_BATCH,
  });
  const live = await liveJobIds(
    ctx.queues.recoveries,
    open.map((recovery) => recovery.id),
  );
  const missing = open.filter((recovery) => !live.has(recovery.id));
  if (missing.length > 0) await ctx.queues.recoveries.addBulk(missing.map(recoveryJob));
  return missing.length;
}
