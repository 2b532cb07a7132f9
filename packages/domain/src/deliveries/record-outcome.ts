import type { Delivery, WebhookSubscription } from '@bellhop/db';
import { newId } from '@bellhop/events';
import type { DomainContext } from '../context';
import { disableSubscription } from './disable-subscription';
import { nextDelayMs, parseRetryAfter, RETRY_AFTER_STATUSES, retrySchedule } from './retry-schedule';
import type { AttemptResult } from './send-attempt';

export type AttemptOutcome =
  | { kind: 'succeeded' }
  | { kind: 'retry'; attempts: number; delayMs: number }
  | { kind: 'failed'; disabled: boolean };

/**
 * The success path, which nearly every delivery takes, as one SQL statement (atomic, one round
 * trip). The subscription row is shared by all its deliveries, so it is only touched when its
 * failure count needs resetting or last_successful_call is over a second old; otherwise every
 * concurrent success would queue on that one row's lock.
 */
async function recordSuccess(ctx: DomainContext, deliveryId: string, subscriptionId: string, attempts: number, result: AttemptResult, now: Date): Promise<void> {
  await ctx.sql.query({
    name: 'record-delivery-success',
    text: `WITH attempt AS (
        INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms, status_code, response_excerpt, error)
        VALUES ($1, $2, $3, $4::timestamp, $5, $6, $7, NULL)
      ), subscription AS (
        UPDATE webhook_subscriptions SET failed_attempts = 0, last_successful_call = $8::timestamp, updated_at = $8::timestamp
        WHERE id = $9 AND (failed_attempts <> 0 OR last_successful_call IS NULL OR last_successful_call < $8::timestamp - interval '1 second')
      )
      UPDATE deliveries SET status = 'succeeded', attempts = $3, last_attempt_at = $4::timestamp, last_status_code = $6, last_error = NULL,
        next_attempt_at = NULL, completed_at = $8::timestamp, updated_at = $8::timestamp
      WHERE id = $2`,
    values: [newId('attempt'), deliveryId, attempts, result.startedAt.toISOString(), result.durationMs, result.statusCode, result.excerpt, now.toISOString(), subscriptionId],
  });
}

/** Writes the attempt row and the delivery's new state together, then applies the subscription rules. */
export async function recordOutcome(ctx: DomainContext, delivery: Delivery, sub: WebhookSubscription, result: AttemptResult): Promise<AttemptOutcome> {
  const attempts = delivery.attempts + 1;
  const now = new Date();
  const attempt = ctx.db.deliveryAttempt.create({ data: {
    id: newId('attempt'), deliveryId: delivery.id, number: attempts, startedAt: result.startedAt,
    durationMs: result.durationMs, statusCode: result.statusCode, responseExcerpt: result.excerpt, error: result.error,
  } });
  const seen = { attempts, lastAttemptAt: result.startedAt, lastStatusCode: result.statusCode, lastError: result.error };
  const code = result.statusCode ?? 0;

  if (code >= 200 && code < 300) {
    await recordSuccess(ctx, delivery.id, sub.id, attempts, result, now);
    return { kind: 'succeeded' };
  }

  const schedule = retrySchedule(ctx.config, sub);
  if (code !== 410 && attempts <= schedule.length) {
    const retryAfter = RETRY_AFTER_STATUSES.has(code) ? parseRetryAfter(result.retryAfter, now.getTime()) : null;
    const delayMs = nextDelayMs(schedule[attempts - 1], retryAfter, ctx.config.RETRY_AFTER_CAP);
    await ctx.db.$transaction([
      attempt,
      ctx.db.delivery.update({ where: { id: delivery.id }, data: { ...seen, nextAttemptAt: new Date(now.getTime() + delayMs) } }),
    ]);
    return { kind: 'retry', attempts, delayMs };
  }

  const [, , updated] = await ctx.db.$transaction([
    attempt,
    ctx.db.delivery.update({ where: { id: delivery.id }, data: { ...seen, status: 'failed', nextAttemptAt: null, completedAt: now } }),
    ctx.db.webhookSubscription.update({ where: { id: sub.id }, data: { failedAttempts: { increment: 1 } } }),
  ]);
  if (code === 410) return { kind: 'failed', disabled: await disableSubscription(ctx, sub, 'endpoint answered 410 Gone') };
  if (updated.failedAttempts >= sub.maxFailedAttempts) {
    const reason = `${updated.failedAttempts} deliveries in a row exhausted their retries`;
    return { kind: 'failed', disabled: await disableSubscription(ctx, sub, reason) };
  }
  return { kind: 'failed', disabled: false };
}
