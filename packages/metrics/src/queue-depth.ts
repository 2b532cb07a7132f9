import { Gauge } from 'prom-client';
import { registry } from './registry';

/** The slice of a BullMQ Queue the gauge needs (keeps this package free of bullmq). */
export interface CountableQueue {
  name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized'];
let source: () => CountableQueue[] = () => [];

/** Jobs per queue and state, read from Redis at scrape time. */
export const queueDepth = new Gauge({
  name: 'bellhop_queue_jobs',
  help: 'Jobs per queue and state (read from BullMQ at scrape time)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const queue of source()) {
      // A Redis outage must not break the whole scrape; the depth is simply missing then.
      const counts = await queue.getJobCounts(...STATES).catch(() => null);
      for (const [state, count] of Object.entries(counts ?? {})) this.set({ queue: queue.name, state }, count);
    }
  },
});

/** Sets the queues whose depth /metrics reports (one app per process; the latest wins). */
export function observeQueues(queues: () => CountableQueue[]): void {
  source = queues;
}
