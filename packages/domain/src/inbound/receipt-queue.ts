import { QUEUES } from '@bellhop/queue';
import type { DomainContext } from '../context';
import { traceFields } from '../events/event-trace';
import type { RequestOrigin } from '../events/record-event';

/** Retries with backoff inside BullMQ; after that the receipt stays `failed` for the sweeper or an admin. */
export const INBOUND_JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential' as const, delay: 2000 } };

/**
 * Queues a stored receipt (job id = receipt id). Redis being down is not the sender's problem:
 * the receipt is in Postgres and `requeueStaleReceipts` picks it up.
 */
export async function enqueueReceipt(
  ctx: DomainContext,
  receiptId: string,
  { requestId, trace }: RequestOrigin = {},
): Promise<boolean> {
  try {
    await ctx.queues.inbound.add(
      QUEUES.inbound.jobName,
      { receiptId, ...(requestId ? { requestId } : {}), ...traceFields(trace) },
      { jobId: receiptId, ...INBOUND_JOB_OPTIONS },
    );
    return true;
  } catch (error) {
    ctx.logger.warn('inbound receipt stored but not enqueued; the sweeper will pick it up', {
      receiptId,
      error: (error as Error).message,
    });
    return false;
  }
}

const STALE_AFTER_MS = 60_000;
/** A receipt that has been tried this often is no longer re-enqueued by the sweeper. */
export const MAX_SWEEP_ATTEMPTS = 10;

/**
 * Re-enqueues receipts left `received` (never queued, or the job was lost) or `failed` (retries
 * used up), older than a minute. A failed job still in Redis is retried rather than re-added.
 */
export async function requeueStaleReceipts(ctx: DomainContext, now = new Date()): Promise<number> {
  const stale = await ctx.db.inboundReceipt.findMany({
    where: {
      status: { in: ['received', 'failed'] },
      createdAt: { lt: new Date(now.getTime() - STALE_AFTER_MS) },
      attempts: { lt: MAX_SWEEP_ATTEMPTS },
    },
    orderBy: { createdAt: 'asc' },
    take: 500,
    select: { id: true },
  });
  let queued = 0;
  for (const { id } of stale) {
    const job = await ctx.queues.inbound.getJob(id);
    if (job && (await job.isFailed())) await job.retry('failed');
    else if (!job || (await job.isCompleted())) {
      if (job) await job.remove();
      await ctx.queues.inbound.add(QUEUES.inbound.jobName, { receiptId: id }, { jobId: id, ...INBOUND_JOB_OPTIONS });
    } else continue;
    queued++;
  }
  return queued;
}
