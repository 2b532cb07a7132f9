import type { Job } from 'bullmq';
import type { DomainContext } from '@bellhop/domain';

/** The context for one job: its log lines carry the job id and the request id that caused it. */
export function jobContext(ctx: DomainContext, job: Job<{ requestId?: string }>): DomainContext {
  return {
    ...ctx,
    logger: ctx.logger.child({ jobId: job.id, ...(job.data.requestId ? { requestId: job.data.requestId } : {}) }),
  };
}
