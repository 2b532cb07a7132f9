import type { Queue } from 'bullmq';

const FINISHED = new Set(['completed', 'failed']);

/**
 * The ids among these that have a job still waiting, delayed or running, asked all at once (one
 * round trip for the lot, however many). A finished job (kept briefly for Bull Board) is removed,
 * so the same id can be enqueued again.
 */
export async function liveJobIds(queue: Queue, jobIds: string[]): Promise<Set<string>> {
  const states = await Promise.all(jobIds.map((jobId) => queue.getJobState(jobId)));
  const finished = jobIds.filter((_, i) => FINISHED.has(states[i]));
  await Promise.all(finished.map((jobId) => queue.remove(jobId).catch(() => undefined)));
  return new Set(jobIds.filter((_, i) => !FINISHED.has(states[i]) && states[i] !== 'unknown'));
}

export async function hasLiveJob(queue: Queue, jobId: string): Promise<boolean> {
  return (await liveJobIds(queue, [jobId])).has(jobId);
}
