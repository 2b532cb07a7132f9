import type { Delivery, WebhookSubscription } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { batcher, batcherPerContext } from '../batching/batcher';
import type { DomainContext } from '../context';
import { disableSubscription } from './disable-subscription';
import { nextDelayMs, parseRetryAfter, RETRY_AFTER_STATUSES, retrySchedule } from './retry-schedule';
import type { AttemptResult } from './send-attempt';

export type AttemptOutcome =
  | { kind: 'succeeded' }
  | { kind: 'retry'; attempts: number; delayMs: number }
  | { kind: 'failed'; disabled: boolean };

interface Success { deliveryId: string; subscriptionId: string; attempts: number; result: AttemptResult }

/**
 * The success path, which nearly every delivery takes: concurrent successes are written by one
 * SQL statement (atomic, one round trip for the batch). A subscription row is shared by all its
 * deliveries, so it is only touched when its failure count needs resetting or its
 * last_successful_call is over a second old, and rows are locked in id order (NO KEY UPDATE,
 * so the foreign-key checks of concurrent fan-out inserts do not wait for it).
 */
const recordSuccess = batcherPerContext((ctx) => batcher(async (successes: Success[]): Promise<void[]> => {
  await ctx.sql.query({
    name: 'record-delivery-successes',
    text: `WITH done AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamp[], $5::int[], $6::int[], $7::text[])
          AS done(attempt_id, delivery_id, number, started_at, duration_ms, status_code, excerpt)
      ), attempt AS (
        INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms, status_code, response_excerpt, error)
        SELECT attempt_id, delivery_id, number, started_at, duration_ms, status_code, excerpt, NULL FROM done
      ), stale AS (
        SELECT id FROM webhook_subscriptions
        WHERE id = ANY($8::text[]) AND (failed_attempts <> 0 OR last_successful_call IS NULL OR last_successful_call < $9::timestamp - interval '1 second')
        ORDER BY id FOR NO KEY UPDATE
      ), subscription AS (
        UPDATE webhook_subscriptions SET failed_attempts = 0, last_successful_call = $9::timestamp, updated_at = $9::timestamp
        WHERE id IN (SELECT id FROM stale)
      )
      UPDATE deliveries SET status = 'succeeded', attempts = done.number, last_attempt_at = done.started_at, last_status_code = done.status_code,
        last_error = NULL, next_attempt_at = NULL, completed_at = $9::timestamp, updated_at = $9::timestamp
      FROM done WHERE deliveries.id = done.delivery_id`,
    values: [
      successes.map(() => newId('attempt')), successes.map((s) => s.deliveryId), successes.map((s) => s.attempts),
      successes.map((s) => s.result.startedAt.toISOString()), successes.map((s) => s.result.durationMs), successes.map((s) => s.result.statusCode),
      successes.map((s) => s.result.excerpt), [...new Set(successes.map((s) => s.subscriptionId))], new Date().toISOString(),
    ],
  });
  return successes.map(() => undefined);
}));

/** Writes the attempt row and the delivery's new state together, then applies the subscription rules. */
export async function recordOutcome(ctx: DomainContext, delivery: Delivery, sub: WebhookSubscription, result: AttemptResult): Promise<AttemptOutcome> {
  const attempts = delivery.attempts + 1;
  const code = result.statusCode ?? 0;
  if (code >= 200 && code < 300) {
    await recordSuccess(ctx)({ deliveryId: delivery.id, subscriptionId: sub.id, attempts, result });
    return { kind: 'succeeded' };
  }

  const now = new Date();
  const attempt = ctx.db.deliveryAttempt.create({ data: {
    id: newId('attempt'), deliveryId: delivery.id, number: attempts, startedAt: result.startedAt,
    durationMs: result.durationMs, statusCode: result.statusCode, responseExcerpt: result.excerpt, error: result.error,
  } });
  const seen = { attempts, lastAttemptAt: result.startedAt, lastStatusCode: result.statusCode, lastError: result.error };

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
