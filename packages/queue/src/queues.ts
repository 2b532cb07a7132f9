import { z } from 'zod';

/**
 * Every queue Bellhop uses, with the payload schema of its jobs. Job ids equal the Postgres
 * row ids they carry, so enqueueing the same row twice is a no-op.
 */
export const QUEUES = {
  /** Events were recorded (one job per commit, id = its first event's id): fan them out to subscriptions and live streams. */
  events: {
    name: 'events',
    jobName: 'fan-out',
    payload: z.object({ eventIds: z.array(z.string()).min(1), requestId: z.string().optional() }),
  },
  /** One webhook delivery attempt (job id = delivery id, or delivery id + attempt for retries). */
  deliveries: {
    name: 'deliveries',
    jobName: 'deliver',
    payload: z.object({ deliveryId: z.string(), requestId: z.string().optional() }),
  },
  /** A raw channel-manager webhook to normalise into bookings and events. */
  inbound: {
    name: 'inbound',
    jobName: 'normalise',
    payload: z.object({
      receiptId: z.string(),
      requestId: z.string().optional(),
      traceparent: z.string().optional(),
      tracestate: z.string().optional(),
    }),
  },
  /** A requested recovery (job id = recovery id): re-open a subscription's failed and cancelled deliveries in bounded batches. */
  recoveries: {
    name: 'recoveries',
    jobName: 'recover',
    payload: z.object({ recoveryId: z.string(), requestId: z.string().optional() }),
  },
  /** Periodic work: outbox sweep, expiry, retention. */
  maintenance: { name: 'maintenance', jobName: 'task', payload: z.object({ task: z.string() }) },
} as const;

export type QueueKey = keyof typeof QUEUES;
export type JobPayload<K extends QueueKey> = z.output<(typeof QUEUES)[K]['payload']>;
export const QUEUE_NAMES = Object.values(QUEUES).map((q) => q.name);

/** The delivery queues, one per shard: `deliveries` (shard 0, the only one by default), `deliveries-1`, … */
export function deliveryQueueNames(shards: number): string[] {
  return Array.from({ length: shards }, (_, shard) =>
    shard === 0 ? QUEUES.deliveries.name : `${QUEUES.deliveries.name}-${shard}`,
  );
}

/** The shard of an endpoint's deliveries (FNV-1a of the endpoint), the same in every process, so one endpoint's jobs stay together. */
export function deliveryShardOf(endpoint: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < endpoint.length; i++) hash = Math.imul(hash ^ endpoint.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}
