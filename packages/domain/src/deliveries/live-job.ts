import type { Queue } from 'bullmq';

/**
 * True when a job with this id is still waiting, delayed or running. A finished one (kept
 * briefly for Bull Board) is removed, so the same id can be enqueued again.
 */
export async function hasLiveJob(queue: Queue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (!job) return false;
  const state = await job.getState();
  if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return true;
  await job.remove().catch(() => undefined);
  return false;
}
