import type { Delivery, WebhookSubscription } from '@bellhop/db';
import type { DomainContext } from '../context';
import { countBreakerFailure, recordBreakerSuccess } from './circuit-breaker';
import { disableSubscription } from './disable-subscription';
import { writeFinalFailure, writeRetry, writeSuccess, type AttemptWrite } from './outcome-writes';
import { nextDelayMs, parseRetryAfter, RETRY_AFTER_STATUSES, retrySchedule } from './retry-schedule';
import type { AttemptResult } from './send-attempt';

export type AttemptOutcome =
  | { kind: 'succeeded' }
  | { kind: 'retry'; attempts: number; delayMs: number }
  /** A failed attempt with retries left while the subscription's circuit breaker is open: the delivery waits, paused. */
  | { kind: 'paused'; attempts: number }
  | { kind: 'failed'; disabled: boolean }
  /** Another run recorded this attempt first, or the delivery stopped being pending while it was in flight: nothing was written. */
  | { kind: 'lost' };

const LOST: AttemptOutcome = { kind: 'lost' };

/**
 * Writes the attempt and the delivery's new state as one compare-and-set, then applies the
 * subscription rules: the circuit breaker (only the run that recorded the attempt counts it), then auto-disable.
 */
export async function recordOutcome(
  ctx: DomainContext,
  delivery: Delivery,
  sub: WebhookSubscription,
  result: AttemptResult,
): Promise<AttemptOutcome> {
  const write: AttemptWrite = {
    deliveryId: delivery.id,
    subscriptionId: sub.id,
    number: delivery.attempts + 1,
    result,
  };
  const code = result.statusCode ?? 0;
  if (code >= 200 && code < 300) {
    if (!(await writeSuccess(ctx)(write))) return LOST;
    await recordBreakerSuccess(ctx, sub);
    return { kind: 'succeeded' };
  }

  const schedule = retrySchedule(ctx.config, sub);
  if (code !== 410 && write.number <= schedule.length) {
    const retryAfter = RETRY_AFTER_STATUSES.has(code) ? parseRetryAfter(result.retryAfter) : null;
    const delayMs = nextDelayMs(schedule[write.number - 1], retryAfter, ctx.config.RETRY_AFTER_CAP);
    if (!(await writeRetry(ctx, write, new Date(Date.now() + delayMs)))) return LOST;
    if (await countBreakerFailure(ctx, sub, delivery.id)) return { kind: 'paused', attempts: write.number };
    return { kind: 'retry', attempts: write.number, delayMs };
  }

  const failedAttempts = await writeFinalFailure(ctx, write);
  if (failedAttempts === null) return LOST;
  await countBreakerFailure(ctx, sub, delivery.id);
  if (code === 410)
    return { kind: 'failed', disabled: await disableSubscription(ctx, sub, 'endpoint answered 410 Gone') };
  if (failedAttempts >= sub.maxFailedAttempts) {
    const reason = `${failedAttempts} deliveries in a row exhausted their retries`;
    return { kind: 'failed', disabled: await disableSubscription(ctx, sub, reason) };
  }
  return { kind: 'failed', disabled: false };
}
