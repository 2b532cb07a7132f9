import { z } from 'zod';
import type { WebhookSubscription } from '@bellhop/db';

/** The API shape of a subscription: never the secret or api_key, only whether one is set. */
export const subscriptionSchema = z.object({
  id: z.string(),
  agent_name: z.string(),
  description: z.string().nullable(),
  delivery: z
    .enum(['push', 'pull'])
    .describe(
      'push: POSTed to webhook_url; pull: read from GET …/messages or the agent stream, acknowledged by cursor',
    ),
  webhook_url: z.string().nullable().describe('null for a pull subscription'),
  events: z.array(z.string()),
  headers: z.record(z.string(), z.string()),
  has_api_key: z.boolean(),
  timeout_ms: z.number().int(),
  max_retries: z.number().int().nullable(),
  retry_schedule: z.array(z.number().int()).nullable(),
  max_failed_attempts: z.number().int(),
  rate_limit_per_second: z.number().int().nullable(),
  is_active: z.boolean(),
  disabled_reason: z.string().nullable(),
  disabled_at: z.string().nullable(),
  failed_attempts: z.number().int(),
  last_successful_call: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  signature_scheme: z
    .enum(['v1', 'v1a', 'both'])
    .describe('v1: HMAC with the secret; v1a: Ed25519, verified with public_key alone; both'),
  public_key: z.string().nullable().describe('whpk_ Ed25519 public key that verifies v1a signatures (not secret)'),
  ordering: z
    .enum(['none', 'booking'])
    .describe('booking: deliveries about one booking go out one at a time, in event order; none: no order kept'),
  circuit_breaker: z
    .object({
      enabled: z.boolean(),
      failure_threshold: z.number().int(),
      window: z.number().int().describe('milliseconds'),
    })
    .describe(
      'Opt-in: after failure_threshold failed attempts in a row within window, deliveries pause and probes go out until one succeeds',
    ),
});
export type SubscriptionView = z.output<typeof subscriptionSchema>;

export function presentSubscription(sub: WebhookSubscription): SubscriptionView {
  return {
    id: sub.id,
    agent_name: sub.agentName,
    description: sub.description,
    delivery: sub.delivery,
    webhook_url: sub.webhookUrl,
    events: sub.events,
    headers: (sub.headers ?? {}) as Record<string, string>,
    has_api_key: sub.apiKeyEncrypted !== null,
    timeout_ms: sub.timeoutMs,
    max_retries: sub.maxRetries,
    retry_schedule: sub.retryScheduleMs.length > 0 ? sub.retryScheduleMs : null,
    max_failed_attempts: sub.maxFailedAttempts,
    rate_limit_per_second: sub.rateLimitPerSecond,
    is_active: sub.isActive,
    disabled_reason: sub.disabledReason,
    disabled_at: sub.disabledAt?.toISOString() ?? null,
    failed_attempts: sub.failedAttempts,
    last_successful_call: sub.lastSuccessfulCall?.toISOString() ?? null,
    created_at: sub.createdAt.toISOString(),
    updated_at: sub.updatedAt.toISOString(),
    signature_scheme: sub.signatureScheme,
    public_key: sub.signingPublicKey,
    ordering: sub.ordering,
    circuit_breaker: {
      enabled: sub.breakerEnabled,
      failure_threshold: sub.breakerThreshold,
      window: sub.breakerWindowMs,
    },
  };
}

export const EXAMPLE_SUBSCRIPTION: SubscriptionView = {
  id: 'sub_01JD0SA7W3K9QF2M8XN4R6T5VB',
  agent_name: 'booking-assistant',
  description: 'Confirms bookings for hosts',
  delivery: 'push',
  webhook_url: 'https://agent.example.com/hooks/bellhop',
  events: ['booking.*', 'payment.received'],
  headers: { 'X-Agent-Tenant': 'acme' },
  has_api_key: true,
  timeout_ms: 15000,
  max_retries: null,
  retry_schedule: null,
  max_failed_attempts: 5,
  rate_limit_per_second: null,
  is_active: true,
  disabled_reason: null,
  disabled_at: null,
  failed_attempts: 0,
  last_successful_call: null,
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:00:00.000Z',
  signature_scheme: 'v1',
  public_key: null,
  ordering: 'none',
  circuit_breaker: { enabled: false, failure_threshold: 10, window: 300000 },
};
export const EXAMPLE_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD6rDHODvAp4U=';
