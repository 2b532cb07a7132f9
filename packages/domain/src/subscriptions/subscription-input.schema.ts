import { z } from 'zod';
import { parseDuration } from '@bellhop/config';
import { decodeSecret } from '@bellhop/webhooks';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Set by Bellhop itself or hop-by-hop; the bearer belongs in api_key.
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'authorization',
  'x-webhook-event',
  'x-webhook-signature',
  'traceparent',
  'tracestate',
]);
const isReserved = (name: string) =>
  RESERVED_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('webhook-');

const headersSchema = z
  .record(
    z.string(),
    z
      .string()
      .max(1024, 'header values are at most 1024 characters')
      .regex(/^[^\r\n\0]*$/, 'header values must not contain CR, LF or NUL'),
  )
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > 20) ctx.addIssue({ code: 'custom', message: 'at most 20 custom headers' });
    for (const name of names) {
      if (!HEADER_NAME.test(name))
        ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a valid header name` });
      else if (isReserved(name))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `"${name}" is reserved (put a bearer token in api_key)`,
        });
    }
  });

const durationStep = z.union([z.number().int(), z.string().max(32)]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === null || ms < 1 || ms > 86_400_000) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a delay between 1ms and 24h (e.g. 5s, 5m, 2h or 5000)`,
    });
    return z.NEVER;
  }
  return ms;
});

const circuitBreakerSchema = z
  .strictObject({
    enabled: z.boolean(),
    failure_threshold: z
      .number()
      .int()
      .min(1, 'failure_threshold is at least 1')
      .max(1000, 'failure_threshold is at most 1000')
      .optional(),
    window: z
      .union([z.number().int(), z.string().max(32)])
      .transform((value, ctx) => {
        const ms = typeof value === 'number' ? value : parseDuration(value);
        if (ms === null || ms < 1000 || ms > 86_400_000) {
          ctx.addIssue({
            code: 'custom',
            message: `"${value}" is not a window between 1s and 24h (e.g. 30s, 5m or 300000)`,
          });
          return z.NEVER;
        }
        return ms;
      })
      .optional(),
  })
  .describe(
    'Opt-in circuit breaker: after failure_threshold failed attempts in a row within window (defaults 10 and 5m), deliveries pause and probes go out until one succeeds',
  );

export const secretSchema = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      return s.startsWith('whsec_') && decodeSecret(s).length >= 24;
    } catch {
      return false;
    }
  }, 'secret must be "whsec_" followed by base64 of at least 24 bytes');

// Postgres text cannot hold NUL; refuse it as bad input rather than fail on insert.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\0]*$/, 'must not contain NUL characters');

const editable = {
  agent_name: text(200).trim().min(1),
  description: text(1000).nullable(),
  webhook_url: z
    .string()
    .min(1)
    .max(2048, 'webhook_url is at most 2048 characters')
    .regex(/^[^\s\x00-\x1f\x7f]+$/, 'webhook_url must not contain spaces or control characters'),
  events: z.array(z.string().min(1).max(200)).min(1, 'subscribe to at least one event type').max(100),
  api_key: text(4096).min(1).nullable(),
  headers: headersSchema,
  timeout_ms: z.number().int().min(1000, 'timeout_ms is at least 1000').max(30_000, 'timeout_ms is at most 30000'),
  max_retries: z.number().int().min(0).max(20),
  retry_schedule: z.array(durationStep).min(1).max(20),
  max_failed_attempts: z.number().int().min(1).max(1000),
  rate_limit_per_second: z.number().int().min(1).max(10_000).nullable(),
  is_active: z.boolean(),
  signature_scheme: z.enum(['v1', 'v1a', 'both']),
  ordering: z.enum(['none', 'booking']),
  delivery: z.enum(['push', 'pull']),
  circuit_breaker: circuitBreakerSchema,
};

const retryExclusive = (body: { max_retries?: unknown; retry_schedule?: unknown }, ctx: z.RefinementCtx) => {
  if (body.max_retries !== undefined && body.retry_schedule !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['retry_schedule'], message: 'give max_retries or retry_schedule, not both' });
  }
};

// webhook_url is required for push delivery (the default) and refused for pull: checked with the mode (delivery-fields).
const required = { agent_name: editable.agent_name, events: editable.events };
const optional = {
  webhook_url: editable.webhook_url.optional(),
  delivery: editable.delivery.optional(),
  description: editable.description.optional(),
  api_key: editable.api_key.optional(),
  headers: editable.headers.optional(),
  timeout_ms: editable.timeout_ms.optional(),
  max_retries: editable.max_retries.optional(),
  retry_schedule: editable.retry_schedule.optional(),
  max_failed_attempts: editable.max_failed_attempts.optional(),
  rate_limit_per_second: editable.rate_limit_per_second.optional(),
  is_active: editable.is_active.optional(),
  signature_scheme: editable.signature_scheme.optional(),
  ordering: editable.ordering.optional(),
  circuit_breaker: editable.circuit_breaker.optional(),
};

/** PUT: every editable field; omitted optional ones return to their defaults. */
export const replaceSubscriptionSchema = z.strictObject({ ...required, ...optional }).superRefine(retryExclusive);
/** POST: as PUT, plus an optional caller-chosen signing secret. */
export const createSubscriptionSchema = z
  .strictObject({ ...required, ...optional, secret: secretSchema.optional() })
  .superRefine(retryExclusive);
/** PATCH: any subset of the editable fields. */
export const patchSubscriptionSchema = z
  .strictObject({
    ...(Object.fromEntries(Object.entries(required).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof required]: z.ZodOptional<(typeof required)[K]>;
    }),
    ...optional,
  })
  .superRefine(retryExclusive);

export type CreateSubscriptionInput = z.output<typeof createSubscriptionSchema>;
export type ReplaceSubscriptionInput = z.output<typeof replaceSubscriptionSchema>;
export type PatchSubscriptionInput = z.output<typeof patchSubscriptionSchema>;
