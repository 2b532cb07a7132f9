import type { Recovery } from '@bellhop/db';
import type { DomainContext } from '../context';
import { admitDueDeliveries } from './enqueue-delivery';
import { RECOVERY_CAP } from './recoveries';
import { pushUrlOf } from '../subscriptions/delivery-mode';

const BATCH = 500;

interface Cursor {
  createdAt: Date;
  id: string;
}
export type RecoveryRun = { kind: 'skipped'; status: Recovery['status'] } | { kind: 'finished'; recovery: Recovery };

/** The next failed or cancelled deliveries of the recovery's window after the cursor, oldest first. */
function candidates(ctx: DomainContext, recovery: Recovery, after: Cursor | null, take: number) {
  return ctx.db.delivery.findMany({
    where: {
      subscriptionId: recovery.subscriptionId,
      status: { in: ['failed', 'cancelled'] },
      createdAt: { gte: recovery.since, lte: recovery.createdAt },
      ...(after
        ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
        : {}),
    },
    select: { id: true, createdAt: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
  });
}

/**
 * Re-opens these deliveries and records the recovery's progress in one statement. Each one's
 * status is checked again as it is updated, so a delivery that succeeded (or was re-opened by a
 * retry) since it was read is left alone and never sent twice. While the subscription's circuit
 * breaker is open they are re-opened paused (`paused`: the breaker's recovery resumes them).
 */
async function reopen(
  ctx: DomainContext,
  recoveryId: string,
  ids: string[],
  last: Cursor,
): Promise<{ id: string; attempts: number; paused: boolean }[]> {
  const now = new Date().toISOString();
  const { rows } = await ctx.sql.query<{ id: string; attempts: number; paused: boolean }>({
    name: 'recovery-reopen-deliveries',
    text: `WITH reopened AS (
        UPDATE deliveries d SET status = 'pending', next_attempt_at = $3::timestamp, held_at = NULL, completed_at = NULL, cancelled_reason = NULL,
          paused_at = CASE WHEN s.breaker_opened_at IS NOT NULL THEN $3::timestamp END, updated_at = $3::timestamp
        FROM webhook_subscriptions s
        WHERE d.id = ANY($2::text[]) AND d.status IN ('failed', 'cancelled') AND s.id = d.subscription_id
        RETURNING d.id, d.attempts, d.paused_at
      ), progress AS (
        UPDATE recoveries SET resent = resent + (SELECT count(*) FROM reopened), covered_until = $4::timestamp, last_delivery_id = $5
        WHERE id = $1
      )
      SELECT id, attempts, paused_at IS NOT NULL AS paused FROM reopened`,
    values: [recoveryId, ids, now, last.createdAt.toISOString(), last.id],
  });
  return rows;
}

const finish = (
  ctx: DomainContext,
  id: string,
  data: Partial<Pick<Recovery, 'status' | 'capped' | 'coveredUntil' | 'error'>>,
) => ctx.db.recovery.update({ where: { id }, data: { status: 'completed', ...data, finishedAt: new Date() } });

/**
 * Runs a recovery in bounded batches, oldest deliveries first, and stops at RECOVERY_CAP
 * re-opened (`capped`, with `covered_until` where a next recovery can start). Progress is saved
 * with every batch, so a run cut short resumes where it stopped.
 */
export async function runRecovery(ctx: DomainContext, recoveryId: string): Promise<RecoveryRun> {
  const found = await ctx.db.recovery.findUnique({ where: { id: recoveryId }, include: { subscription: true } });
  if (!found || found.status === 'completed' || found.status === 'failed')
    return { kind: 'skipped', status: found?.status ?? 'failed' };
  const { subscription: sub, ...recovery } = found;
  if (sub.deletedAt || !sub.isActive) {
    return {
      kind: 'finished',
      recovery: await finish(ctx, recovery.id, {
        status: 'failed',
        error: sub.deletedAt ? 'subscription deleted' : 'subscription disabled',
      }),
    };
  }
  await ctx.db.recovery.update({ where: { id: recovery.id }, data: { status: 'running' } });

  let cursor: Cursor | null =
    recovery.lastDeliveryId && recovery.coveredUntil
      ? { createdAt: recovery.coveredUntil, id: recovery.lastDeliveryId }
      : null;
  let resent = recovery.resent;
  while (resent < RECOVERY_CAP) {
    const page = await candidates(ctx, recovery, cursor, Math.min(BATCH, RECOVERY_CAP - resent));
    if (page.length === 0) break;
    cursor = page[page.length - 1];
    const reopened = await reopen(
      ctx,
      recovery.id,
      page.map((d) => d.id),
      cursor,
    );
    // A crash before this enqueue is covered: the re-opened deliveries are due, and the sweeper enqueues them.
    await admitDueDeliveries(
      ctx,
      reopened.flatMap((d) => (d.paused ? [] : [{ id: d.id, attempts: d.attempts, webhookUrl: pushUrlOf(sub) }])),
    );
    resent += reopened.length;
  }
  const capped = resent >= RECOVERY_CAP && (await candidates(ctx, recovery, cursor, 1)).length > 0;
  const done = await finish(ctx, recovery.id, {
    capped,
    coveredUntil: capped && cursor ? cursor.createdAt : recovery.createdAt,
  });
  ctx.logger.info('recovery finished', {
    recoveryId: recovery.id,
    subscriptionId: recovery.subscriptionId,
    resent: done.resent,
    capped,
  });
  return { kind: 'finished', recovery: done };
}
