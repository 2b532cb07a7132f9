import type { Prisma, SignatureScheme, WebhookSubscription } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';
import { BREAKER_DEFAULTS } from '../deliveries/circuit-breaker';
import { newSigningKeyColumns, signsV1a } from './secrets';
import type { PatchSubscriptionInput } from './subscription-input.schema';

type Columns =
  | 'agentName'
  | 'description'
  | 'webhookUrl'
  | 'events'
  | 'apiKeyEncrypted'
  | 'timeoutMs'
  | 'maxRetries'
  | 'retryScheduleMs'
  | 'maxFailedAttempts'
  | 'rateLimitPerSecond'
  | 'isActive'
  | 'failedAttempts'
  | 'disabledReason'
  | 'disabledAt'
  | 'signatureScheme'
  | 'signingKeyEncrypted'
  | 'signingPublicKey'
  | 'ordering'
  | 'breakerEnabled'
  | 'breakerThreshold'
  | 'breakerWindowMs'
  | 'breakerFailures'
  | 'breakerStreakSince'
  | 'breakerOpenedAt'
  | 'breakerProbeAt'
  | 'breakerProbes';
export type EditableColumns = Partial<Pick<WebhookSubscription, Columns>> & { headers?: Prisma.InputJsonObject };

/** The owner's live subscription, or 404 (another agent's id looks exactly like a missing one). */
export async function findSubscriptionForAgent(
  ctx: Pick<DomainContext, 'db'>,
  ownerAgentId: string,
  id: string,
): Promise<WebhookSubscription> {
  const sub = await ctx.db.webhookSubscription.findFirst({ where: { id, ownerAgentId, deletedAt: null } });
  if (!sub) throw notFound('Webhook subscription');
  return sub;
}

/** A closed circuit breaker with no failures counted. */
export const CLOSED_BREAKER = {
  breakerFailures: 0,
  breakerStreakSince: null,
  breakerOpenedAt: null,
  breakerProbeAt: null,
  breakerProbes: 0,
} as const;

/** Turning a subscription on is one thing everywhere: it also forgets the failures that disabled it. */
export function activationData(isActive: boolean): EditableColumns {
  return isActive
    ? { isActive: true, failedAttempts: 0, disabledReason: null, disabledAt: null, ...CLOSED_BREAKER }
    : { isActive: false };
}

/** Prisma data for the fields present in the input (snake_case API names → columns). */
export function editableData(ctx: DomainContext, input: PatchSubscriptionInput): EditableColumns {
  const data: EditableColumns = {};
  if (input.agent_name !== undefined) data.agentName = input.agent_name;
  if (input.description !== undefined) data.description = input.description;
  if (input.webhook_url !== undefined) data.webhookUrl = input.webhook_url;
  if (input.events !== undefined) data.events = [...new Set(input.events)];
  if (input.api_key !== undefined)
    data.apiKeyEncrypted = input.api_key === null ? null : ctx.secrets.encrypt(input.api_key);
  if (input.headers !== undefined) data.headers = input.headers;
  if (input.timeout_ms !== undefined) data.timeoutMs = input.timeout_ms;
  if (input.max_retries !== undefined) Object.assign(data, { maxRetries: input.max_retries, retryScheduleMs: [] });
  if (input.retry_schedule !== undefined)
    Object.assign(data, { maxRetries: null, retryScheduleMs: input.retry_schedule });
  if (input.max_failed_attempts !== undefined) data.maxFailedAttempts = input.max_failed_attempts;
  if (input.rate_limit_per_second !== undefined) data.rateLimitPerSecond = input.rate_limit_per_second;
  if (input.is_active !== undefined) Object.assign(data, activationData(input.is_active));
  if (input.signature_scheme !== undefined) data.signatureScheme = input.signature_scheme;
  if (input.ordering !== undefined) data.ordering = input.ordering;
  if (input.circuit_breaker !== undefined)
    Object.assign(data, {
      breakerEnabled: input.circuit_breaker.enabled,
      breakerThreshold: input.circuit_breaker.failure_threshold ?? BREAKER_DEFAULTS.failureThreshold,
      breakerWindowMs: input.circuit_breaker.window ?? BREAKER_DEFAULTS.windowMs,
      ...(input.circuit_breaker.enabled ? {} : CLOSED_BREAKER),
    });
  return data;
}

/** A subscription that comes to sign with v1a gets its key pair then, once; a later switch back keeps it for next time. */
export function signingKeyData(
  ctx: DomainContext,
  scheme: SignatureScheme | undefined,
  current?: Pick<WebhookSubscription, 'signingKeyEncrypted'>,
): EditableColumns {
  return scheme && signsV1a(scheme) && !current?.signingKeyEncrypted ? newSigningKeyColumns(ctx) : {};
}

/** What PUT resets when an optional field is left out (is_active stays as it is). */
export const REPLACE_DEFAULTS = {
  description: null,
  api_key: null,
  headers: {},
  timeout_ms: 15_000,
  max_failed_attempts: 5,
  rate_limit_per_second: null,
  signature_scheme: 'v1',
  ordering: 'none',
  circuit_breaker: { enabled: false },
} as const;
