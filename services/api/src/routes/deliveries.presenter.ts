import { z } from 'zod';
import type { DeliveryAttempt, Recovery } from '@bellhop/db';
import type { DeliveryDetail, DeliveryStats, DeliveryWithEvent } from '@bellhop/domain';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const deliverySchema = z.object({
  id: z.string(),
  subscription_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  event_created_at: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  cancelled_reason: z.string().nullable(),
  completed_at: z.string().nullable(),
  created_at: z.string(),
  held_since: z
    .string()
    .nullable()
    .describe(
      'ordering booking: since when this pending delivery waits for an earlier delivery of its booking (no attempt is used meanwhile)',
    ),
  paused_since: z
    .string()
    .nullable()
    .describe(
      "circuit breaker: since when this pending delivery is paused by its subscription's open breaker (no attempt is used meanwhile)",
    ),
});
export const attemptSchema = z.object({
  number: z.number().int(),
  started_at: z.string(),
  duration_ms: z.number().int(),
  status_code: z.number().int().nullable(),
  response_excerpt: z.string().nullable(),
  error: z.string().nullable(),
});
export const deliveryDetailSchema = deliverySchema.extend({ attempt_log: z.array(attemptSchema) });
export const statsSchema = z.object({
  window: z.literal('24h'),
  counts: z.object({
    pending: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  }),
  success_rate: z.number().nullable(),
  latency_p50_ms: z.number().nullable(),
  latency_p95_ms: z.number().nullable(),
  failed_attempts: z.number().int(),
  last_successful_call: z.string().nullable(),
  health: z
    .enum(['off', 'healthy', 'unhealthy'])
    .describe(
      "The circuit breaker's view of the endpoint: unhealthy while it is open (deliveries paused, probes going out); off when the subscription has no breaker",
    ),
  unhealthy_since: z.string().nullable().describe('When the circuit breaker opened; null unless unhealthy'),
  data_retained_since: z
    .string()
    .describe(
      'How far back data goes: deliveries, attempts and events created before this time are purged (DATA_RETENTION)',
    ),
});

export const recoverySchema = z.object({
  recovery_id: z.string(),
  subscription_id: z.string(),
  since: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  resent: z.number().int(),
  capped: z.boolean(),
  until: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  data_retained_since: z.string().describe('How far back data goes: `since` may not be earlier than this'),
});

export function presentDelivery(d: DeliveryWithEvent): z.output<typeof deliverySchema> {
  return {
    id: d.id,
    subscription_id: d.subscriptionId,
    event_id: d.eventId,
    event_type: d.event.type,
    event_created_at: d.event.createdAt.toISOString(),
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: iso(d.nextAttemptAt),
    last_attempt_at: iso(d.lastAttemptAt),
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    cancelled_reason: d.cancelledReason,
    completed_at: iso(d.completedAt),
    created_at: d.createdAt.toISOString(),
    held_since: iso(d.heldAt),
    paused_since: iso(d.pausedAt),
  };
}

function presentAttempt(a: DeliveryAttempt): z.output<typeof attemptSchema> {
  return {
    number: a.number,
    started_at: a.startedAt.toISOString(),
    duration_ms: a.durationMs,
    status_code: a.statusCode,
    response_excerpt: a.responseExcerpt,
    error: a.error,
  };
}

export function presentDeliveryDetail(d: DeliveryDetail): z.output<typeof deliveryDetailSchema> {
  return { ...presentDelivery(d), attempt_log: d.attemptLog.map(presentAttempt) };
}

export function presentStats(s: DeliveryStats): z.output<typeof statsSchema> {
  return {
    window: '24h',
    counts: s.counts,
    success_rate: s.successRate,
    latency_p50_ms: s.latencyP50Ms,
    latency_p95_ms: s.latencyP95Ms,
    failed_attempts: s.failedAttempts,
    last_successful_call: iso(s.lastSuccessfulCall),
    health: s.health,
    unhealthy_since: iso(s.unhealthySince),
    data_retained_since: s.dataRetainedSince.toISOString(),
  };
}

/** A recovery, with the retention horizon (`retainedSince`) at the time of the answer. */
export function presentRecovery(r: Recovery, retainedSince: Date): z.output<typeof recoverySchema> {
  return {
    recovery_id: r.id,
    subscription_id: r.subscriptionId,
    since: r.since.toISOString(),
    status: r.status,
    resent: r.resent,
    capped: r.capped,
    until: iso(r.coveredUntil),
    error: r.error,
    created_at: r.createdAt.toISOString(),
    finished_at: iso(r.finishedAt),
    data_retained_since: retainedSince.toISOString(),
  };
}
