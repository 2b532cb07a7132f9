import type { WebhookSubscription } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { generateSecret } from '@bellhop/webhooks';
import type { DomainContext } from '../context';
import { releaseUnordered } from '../deliveries/booking-order';
import { resumePausedDeliveries } from '../deliveries/circuit-breaker';
import { assertSubscribablePatterns } from '../event-types/event-type-rules';
import {
  activationData,
  editableData,
  findSubscriptionForAgent,
  REPLACE_DEFAULTS,
  signingKeyData,
} from './subscription-data';
import type {
  CreateSubscriptionInput,
  PatchSubscriptionInput,
  ReplaceSubscriptionInput,
} from './subscription-input.schema';
import { assertDeliveryFields, assertSameDelivery } from './delivery-fields';
import { assertWebhookTarget, type TargetCheckOptions } from './webhook-target';

export interface CreatedSubscription {
  subscription: WebhookSubscription;
  secret: string;
}
export interface SubscriptionPage {
  items: WebhookSubscription[];
  nextCursor: string | null;
}

/** Checks what needs config or the database: the target address and the event patterns. */
async function validateChanges(
  ctx: DomainContext,
  input: PatchSubscriptionInput,
  options: TargetCheckOptions,
): Promise<void> {
  if (input.webhook_url !== undefined) await assertWebhookTarget(ctx, input.webhook_url, options);
  if (input.events !== undefined) await assertSubscribablePatterns(ctx, input.events);
}

/** Deliveries paused by a breaker that an edit closed (turned off, or the subscription turned on again) resume. */
async function afterEdit(ctx: DomainContext, current: WebhookSubscription, updated: WebhookSubscription) {
  if (current.ordering !== updated.ordering) await releaseUnordered(ctx, updated.id);
  if (current.breakerOpenedAt && !updated.breakerOpenedAt) await resumePausedDeliveries(ctx, updated);
}

/** Registers a webhook; the plain secret is returned here and never again (except on rotation). */
export async function createSubscription(
  ctx: DomainContext,
  ownerAgentId: string,
  input: CreateSubscriptionInput,
  options: TargetCheckOptions = {},
): Promise<CreatedSubscription> {
  const delivery = input.delivery ?? 'push';
  assertDeliveryFields(delivery, input, true);
  await validateChanges(ctx, input, options);
  const secret = input.secret ?? generateSecret();
  const { agent_name, webhook_url, events, ...rest } = input;
  const data = {
    ...editableData(ctx, { agent_name, webhook_url, events, ...rest, is_active: rest.is_active ?? true }),
    ...signingKeyData(ctx, rest.signature_scheme),
  };
  const subscription = await ctx.db.webhookSubscription.create({
    data: {
      ...data,
      id: newId('subscription'),
      owner: { connect: { id: ownerAgentId } },
      agentName: agent_name,
      delivery,
      webhookUrl: webhook_url ?? null,
      events: [...new Set(events)],
      secretEncrypted: ctx.secrets.encrypt(secret),
    },
  });
  ctx.logger.info('webhook subscription created', {
    subscriptionId: subscription.id,
    ownerAgentId,
    events: subscription.events,
  });
  return { subscription, secret };
}

export function getSubscription(ctx: DomainContext, ownerAgentId: string, id: string): Promise<WebhookSubscription> {
  return findSubscriptionForAgent(ctx, ownerAgentId, id);
}

/** The owner's subscriptions in creation order; the cursor is the last id of the previous page. */
export async function listSubscriptions(
  ctx: DomainContext,
  ownerAgentId: string,
  page: { limit: number; cursor?: string; isActive?: boolean },
): Promise<SubscriptionPage> {
  const rows = await ctx.db.webhookSubscription.findMany({
    where: {
      ownerAgentId,
      deletedAt: null,
      ...(page.isActive === undefined ? {} : { isActive: page.isActive }),
      ...(page.cursor ? { id: { gt: page.cursor } } : {}),
    },
    orderBy: { id: 'asc' },
    take: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].id : null };
}

/** PATCH: changes only the given fields; a changed URL is checked again. */
export async function updateSubscription(
  ctx: DomainContext,
  ownerAgentId: string,
  id: string,
  input: PatchSubscriptionInput,
  options: TargetCheckOptions = {},
): Promise<WebhookSubscription> {
  const current = await findSubscriptionForAgent(ctx, ownerAgentId, id);
  assertSameDelivery(current, input);
  assertDeliveryFields(current.delivery, input, false);
  const changed = input.webhook_url === current.webhookUrl ? { ...input, webhook_url: undefined } : input;
  await validateChanges(ctx, changed, options);
  const updated = await ctx.db.webhookSubscription.update({
    where: { id: current.id },
    data: { ...editableData(ctx, input), ...signingKeyData(ctx, input.signature_scheme, current) },
  });
  await afterEdit(ctx, current, updated);
  return updated;
}

/** PUT: every editable field takes the given value or its default. */
export async function replaceSubscription(
  ctx: DomainContext,
  ownerAgentId: string,
  id: string,
  input: ReplaceSubscriptionInput,
  options: TargetCheckOptions = {},
): Promise<WebhookSubscription> {
  const current = await findSubscriptionForAgent(ctx, ownerAgentId, id);
  assertSameDelivery(current, input);
  assertDeliveryFields(current.delivery, input, true);
  const withDefaults = { ...REPLACE_DEFAULTS, ...input };
  const changed = input.webhook_url === current.webhookUrl ? { ...withDefaults, webhook_url: undefined } : withDefaults;
  await validateChanges(ctx, changed, options);
  const resetRetry =
    input.max_retries === undefined && input.retry_schedule === undefined
      ? { maxRetries: null, retryScheduleMs: [] }
      : {};
  const updated = await ctx.db.webhookSubscription.update({
    where: { id: current.id },
    data: {
      ...editableData(ctx, withDefaults),
      ...resetRetry,
      ...signingKeyData(ctx, withDefaults.signature_scheme, current),
    },
  });
  await afterEdit(ctx, current, updated);
  return updated;
}

/** Re-enables a subscription (e.g. after auto-disable) and resets its failure count. */
export async function enableSubscription(
  ctx: DomainContext,
  ownerAgentId: string,
  id: string,
): Promise<WebhookSubscription> {
  const current = await findSubscriptionForAgent(ctx, ownerAgentId, id);
  const updated = await ctx.db.webhookSubscription.update({ where: { id: current.id }, data: activationData(true) });
  await afterEdit(ctx, current, updated);
  return updated;
}
