import type { WebhookSubscription } from '@bellhop/db';
import { invalid } from '@bellhop/errors';
import type { PatchSubscriptionInput } from './subscription-input.schema';

/** Fields about sending a request: a pull subscription is read by its agent, so it takes none of them. */
const PUSH_ONLY = [
  'webhook_url',
  'api_key',
  'headers',
  'timeout_ms',
  'max_retries',
  'retry_schedule',
  'max_failed_attempts',
  'rate_limit_per_second',
  'ordering',
  'circuit_breaker',
] as const;

/**
 * 400 naming each field that does not fit the delivery mode: a push subscription needs its
 * webhook_url (`urlRequired` on create and PUT), a pull one refuses every push-only field, and the
 * mode itself never changes after creation.
 */
export function assertDeliveryFields(
  mode: WebhookSubscription['delivery'],
  input: PatchSubscriptionInput,
  urlRequired: boolean,
): void {
  const problems: { field: string; message: string }[] = [];
  if (mode === 'pull')
    for (const field of PUSH_ONLY)
      if (input[field] !== undefined)
        problems.push({ field, message: 'only for delivery "push": a pull subscription is read, never sent to' });
  if (mode === 'push' && urlRequired && input.webhook_url === undefined)
    problems.push({ field: 'webhook_url', message: 'required for delivery "push" (or set delivery to "pull")' });
  if (problems.length > 0)
    throw invalid(`Invalid body: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
}

/** The mode is chosen once: switching would strand the messages read by cursor or the deliveries in flight. */
export function assertSameDelivery(
  current: Pick<WebhookSubscription, 'delivery'>,
  input: PatchSubscriptionInput,
): void {
  if (input.delivery !== undefined && input.delivery !== current.delivery)
    throw invalid('delivery cannot change after creation', [
      { field: 'delivery', message: `is "${current.delivery}"; create a new subscription for "${input.delivery}"` },
    ]);
}
