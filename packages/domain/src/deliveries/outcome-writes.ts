import { newId } from '@bellhop/events';
import { batcher, batcherPerContext } from '../batching/batcher';
import type { DomainContext } from '../context';
import type { AttemptResult } from './send-attempt';

/**
 * The writes of an attempt's outcome. Each is one statement and a compare-and-set on the state
 * the attempt was made from (`status = 'pending' AND attempts = number - 1`): the attempt row,
 * the delivery's new state and the subscription's counters are written together by the one
 * run that wins, or not at all. Whatever re-runs a job (a stalled lock, the sweeper, a manual
 * retry), an attempt is recorded once, and a cancel that landed meanwhile stays cancelled.
 *
 * Lock order is the subscription row, then its deliveries, as in `disableSubscription`, so a
 * success or failure racing a disable never deadlocks with it.
 */

export interface AttemptWrite {
  deliveryId: string;
  subscriptionId: string;
  number: number;
  result: AttemptResult;
}

/**
 * Concurrent successes are written by one statement (one round trip for the batch), and each
 * learns whether it won. A subscription row is shared by all its deliveries, so it is locked
 * (in id order, NO KEY UPDATE so fan-out's foreign-key checks do not wait) only when its failure
 * count needs resetting or its last_successful_call is over a second old, and updated only for
 * a delivery that won. `locked` makes every delivery update wait for those locks first.
 */
export const writeSuccess = batcherPerContext((ctx) =>
  batcher(async (writes: AttemptWrite[]): Promise<boolean[]> => {
    const attemptIds = writes.map(() => newId('attempt'));
    const { rows } = await ctx.sql.query<{ attempt_id: string }>({
      name: 'record-delivery-successes',
      text: `WITH done AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamp[], $5::int[], $6::int[], $7::text[])
          AS done(attempt_id, delivery_id, number, started_at, duration_ms, status_code, excerpt)
      ), stale AS (
        SELECT id FROM webhook_subscriptions
        WHERE id = ANY($8::text[]) AND (failed_attempts <> 0 OR last_successful_call IS NULL OR last_successful_call < $9::timestamp - interval '1 second')
        ORDER BY id FOR NO KEY UPDATE
      ), locked AS (
        SELECT count(*) FROM stale
      ), won AS (
        UPDATE deliveries SET status = 'succeeded', attempts = done.number, last_attempt_at = done.started_at, last_status_code = done.status_code,
          last_error = NULL, next_attempt_at = NULL, completed_at = $9::timestamp, updated_at = $9::timestamp
        FROM done, locked
        WHERE deliveries.id = done.delivery_id AND deliveries.status = 'pending' AND deliveries.attempts = done.number - 1
        RETURNING done.attempt_id, deliveries.subscription_id
      ), attempt AS (
        INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms, status_code, response_excerpt, error)
        SELECT done.attempt_id, done.delivery_id, done.number, done.started_at, done.duration_ms, done.status_code, done.excerpt, NULL
        FROM done JOIN won ON won.attempt_id = done.attempt_id
      ), subscription AS (
        UPDATE webhook_subscriptions SET failed_attempts = 0, last_successful_call = $9::timestamp, updated_at = $9::timestamp
        WHERE id IN (SELECT id FROM stale) AND id IN (SELECT subscription_id FROM won)
      )
      SELECT attempt_id FROM won`,
      values: [
        attemptIds,
        writes.map((w) => w.deliveryId),
        writes.map((w) => w.number),
        writes.map((w) => w.result.startedAt.toISOString()),
        writes.map((w) => w.result.durationMs),
        writes.map((w) => w.result.statusCode),
        writes.map((w) => w.result.excerpt),
        [...new Set(writes.map((w) => w.subscriptionId))],
        new Date().toISOString(),
      ],
    });
    const won = new Set(rows.map((row) => row.attempt_id));
    return attemptIds.map((id) => won.has(id));
  }),
);

const attemptValues = (w: AttemptWrite) => [
  newId('attempt'),
  w.deliveryId,
  w.number,
  w.result.startedAt.toISOString(),
  w.result.durationMs,
  w.result.statusCode,
  w.result.excerpt,
  w.result.error,
];

/** A failed attempt with retries left: the attempt row and the next attempt's time. True when this run won. */
export async function writeRetry(ctx: DomainContext, write: AttemptWrite, nextAttemptAt: Date): Promise<boolean> {
  const { rowCount } = await ctx.sql.query({
    name: 'record-delivery-retry',
    text: `WITH won AS (
        UPDATE deliveries SET attempts = $3, last_attempt_at = $4::timestamp, last_status_code = $6, last_error = $8,
          next_attempt_at = $9::timestamp, updated_at = $10::timestamp
        WHERE id = $2 AND status = 'pending' AND attempts = $3 - 1
        RETURNING id
      )
      INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms, status_code, response_excerpt, error)
      SELECT $1, id, $3, $4::timestamp, $5, $6, $7, $8 FROM won`,
    values: [...attemptValues(write), nextAttemptAt.toISOString(), new Date().toISOString()],
  });
  return rowCount === 1;
}

/**
 * The last attempt failed: the delivery is failed and counts once toward auto-disable.
 * Returns the subscription's new failure count, or null when another run or a cancel won.
 */
export async function writeFinalFailure(ctx: DomainContext, write: AttemptWrite): Promise<number | null> {
  const { rows } = await ctx.sql.query<{ failed_attempts: number }>({
    name: 'record-delivery-failure',
    text: `WITH subscription AS (
        SELECT id FROM webhook_subscriptions WHERE id = $9 FOR NO KEY UPDATE
      ), won AS (
        UPDATE deliveries SET status = 'failed', attempts = $3, last_attempt_at = $4::timestamp, last_status_code = $6, last_error = $8,
          next_attempt_at = NULL, completed_at = $10::timestamp, updated_at = $10::timestamp
        FROM subscription WHERE deliveries.id = $2 AND deliveries.status = 'pending' AND deliveries.attempts = $3 - 1
        RETURNING deliveries.id
      ), attempt AS (
        INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms, status_code, response_excerpt, error)
        SELECT $1, id, $3, $4::timestamp, $5, $6, $7, $8 FROM won
      )
      UPDATE webhook_subscriptions SET failed_attempts = failed_attempts + 1, updated_at = $10::timestamp
      WHERE id IN (SELECT id FROM subscription) AND EXISTS (SELECT 1 FROM won)
      RETURNING failed_attempts`,
    values: [...attemptValues(write), write.subscriptionId, new Date().toISOString()],
  });
  return rows[0]?.failed_attempts ?? null;
}
