import { breakerTransitions } from '@bellhop/metrics';
import type { WebhookSubscription } from '@bellhop/db';
import { EVENT } from '@bellhop/events';
import type { DomainContext } from '../context';
import { recordEvent } from '../events/record-event';
import { pushUrlOf } from '../subscriptions/delivery-mode';
import { admitDueDeliveries } from './enqueue-delivery';

/**
 * The opt-in circuit breaker of a subscription. Its state is columns of webhook_subscriptions
 * (and deliveries.paused_at), so a Redis wipe or a worker restart loses nothing. Failed attempts
 * in a row are counted under the subscription's row lock, so concurrent workers count exactly;
 * a streak whose first failure is older than the window starts again. At the threshold the
 * breaker opens: every pending delivery of the subscription is paused in one statement (no job,
 * no attempt), and new ones are created paused (see fan-out). The maintenance loop sends one
 * probe (the oldest paused delivery, unpaused) at growing intervals; any success closes the
 * breaker and resumes the paused deliveries, due ones admitted in order of due time.
 */

/** Probe intervals: 30 s, then doubling (1 m, 2 m, 4 m …) up to 30 m. */
export const PROBE_FIRST_MS = 30_000;
export const PROBE_MAX_MS = 30 * 60_000;
export const BREAKER_DEFAULTS = { failureThreshold: 10, windowMs: 5 * 60_000 } as const;
/** Resumed deliveries are admitted this many at a time, in order of due time. */
const RESUME_BATCH = 500;
/** Subscriptions probed per maintenance run. */
const PROBE_BATCH = 100;

export type BreakerHealth = 'off' | 'healthy' | 'unhealthy';

/** How long a worker remembers a breaker it saw open, to hold back the rows its lanes loaded just before. */
const SEEN_OPEN_MS = 10_000;
const seenOpen = new WeakMap<DomainContext, Map<string, { openedAt: number; until: number }>>();

function rememberOpen(ctx: DomainContext, subscriptionId: string, openedAt: Date) {
  const open = seenOpen.get(ctx) ?? new Map<string, { openedAt: number; until: number }>();
  seenOpen.set(ctx, open);
  open.set(subscriptionId, { openedAt: openedAt.getTime(), until: Date.now() + SEEN_OPEN_MS });
}

/**
 * Pauses one delivery if its subscription's breaker is open: one the lanes skipped as loaded before
 * the opening, which may have been fanned out unpaused by a fan-out that raced the opening.
 */
export async function pauseIfOpen(ctx: DomainContext, deliveryId: string): Promise<void> {
  const now = new Date().toISOString();
  await ctx.sql.query({
    name: 'pause-if-breaker-open',
    text: `UPDATE deliveries d SET paused_at = $2::timestamp, updated_at = $2::timestamp FROM webhook_subscriptions s
      WHERE d.id = $1 AND d.status = 'pending' AND d.paused_at IS NULL AND s.id = d.subscription_id AND s.breaker_opened_at IS NOT NULL`,
    values: [deliveryId, now],
  });
}

/**
 * Whether a delivery row loaded before its breaker opened (so it shows as not paused, though the
 * opening paused it) must not be sent: true when this worker saw the breaker open in the last
 * seconds and the row was last written before that. A probe or a resumed delivery was written
 * after the opening, so it goes.
 */
export function pausedSinceLoaded(ctx: DomainContext, row: { subscriptionId: string; updatedAt: Date }): boolean {
  const open = seenOpen.get(ctx)?.get(row.subscriptionId);
  if (!open) return false;
  if (open.until < Date.now()) {
    seenOpen.get(ctx)!.delete(row.subscriptionId);
    return false;
  }
  return row.updatedAt.getTime() < open.openedAt;
}

export function breakerHealth(sub: Pick<WebhookSubscription, 'breakerEnabled' | 'breakerOpenedAt'>): BreakerHealth {
  if (!sub.breakerEnabled) return 'off';
  return sub.breakerOpenedAt ? 'unhealthy' : 'healthy';
}

type BreakerSub = Pick<WebhookSubscription, 'id' | 'ownerAgentId' | 'delivery' | 'webhookUrl' | 'breakerEnabled'>;

/**
 * Counts a failed attempt of a delivery. When the count reaches the threshold this call opens the
 * breaker (and pauses every pending delivery); when the breaker is open already, this delivery is
 * paused (a probe that failed, or one created just before the breaker opened). True while open.
 */
export async function countBreakerFailure(ctx: DomainContext, sub: BreakerSub, deliveryId: string): Promise<boolean> {
  if (!sub.breakerEnabled) return false;
  const now = new Date();
  const { rows } = await ctx.sql.query<{ opened_at: Date | null; was_open: Date | null; failures: number }>({
    name: 'count-breaker-failure',
    text: `WITH cur AS (
        SELECT id, breaker_opened_at AS was_open, breaker_threshold AS threshold,
          breaker_streak_since IS NULL OR breaker_streak_since < $2::timestamp - breaker_window_ms * interval '1 millisecond' AS fresh,
          breaker_failures AS failures, breaker_streak_since AS streak_since
        FROM webhook_subscriptions WHERE id = $1 AND breaker_enabled FOR NO KEY UPDATE
      ), counted AS (
        SELECT id, was_open, threshold, CASE WHEN fresh THEN 1 ELSE failures + 1 END AS failures,
          CASE WHEN fresh THEN $2::timestamp ELSE streak_since END AS streak_since FROM cur
      ), next AS (
        UPDATE webhook_subscriptions s SET breaker_failures = c.failures, breaker_streak_since = c.streak_since,
          breaker_opened_at = coalesce(c.was_open, CASE WHEN c.failures >= c.threshold THEN $2::timestamp END),
          breaker_probe_at = CASE WHEN c.was_open IS NULL AND c.failures >= c.threshold
            THEN $2::timestamp + $4 * interval '1 millisecond' ELSE s.breaker_probe_at END,
          breaker_probes = CASE WHEN c.was_open IS NULL THEN 0 ELSE s.breaker_probes END,
          updated_at = $2::timestamp
        FROM counted c WHERE s.id = c.id
        RETURNING s.breaker_opened_at AS opened_at, c.was_open, c.failures
      ), paused AS (
        UPDATE deliveries d SET paused_at = $2::timestamp, updated_at = $2::timestamp
        FROM next WHERE next.opened_at IS NOT NULL AND d.subscription_id = $1 AND d.status = 'pending' AND d.paused_at IS NULL
          AND (next.was_open IS NULL OR d.id = $3)
      )
      SELECT opened_at, was_open, failures FROM next`,
    values: [sub.id, now.toISOString(), deliveryId, PROBE_FIRST_MS],
  });
  const row = rows[0];
  if (!row?.opened_at) return false;
  rememberOpen(ctx, sub.id, row.opened_at);
  if (!row.was_open) await announceOpened(ctx, sub, row.opened_at, row.failures);
  return true;
}

async function announceOpened(ctx: DomainContext, sub: BreakerSub, openedAt: Date, failures: number) {
  breakerTransitions.inc({ transition: 'opened' });
  ctx.logger.warn('circuit breaker opened: deliveries paused', { subscriptionId: sub.id, failures });
  await recordEvent(ctx, {
    type: EVENT.subscriptionUnhealthy,
    data: {
      subscription_id: sub.id,
      webhook_url: sub.webhookUrl,
      unhealthy_since: openedAt.toISOString(),
      consecutive_failures: failures,
      next_probe_at: new Date(openedAt.getTime() + PROBE_FIRST_MS).toISOString(),
    },
    audienceAgentId: sub.ownerAgentId,
  });
}

/**
 * Clears the breaker's state and resumes its paused deliveries (the due ones admitted in order of
 * due time, in batches; later ones are left to the sweeper, which admits them when due).
 * Returns when the breaker had opened, or null when it was not open.
 */
export async function closeBreaker(
  ctx: DomainContext,
  sub: Pick<WebhookSubscription, 'id' | 'delivery' | 'webhookUrl'>,
): Promise<{ openedAt: Date; resumed: number } | null> {
  const now = new Date();
  const { rows } = await ctx.sql.query<{ was_open: Date | null; id: string | null; attempts: number; due: boolean }>({
    name: 'close-breaker',
    text: `WITH cur AS (
        SELECT id, breaker_opened_at AS was_open FROM webhook_subscriptions
        WHERE id = $1 AND (breaker_failures <> 0 OR breaker_opened_at IS NOT NULL) FOR NO KEY UPDATE
      ), next AS (
        UPDATE webhook_subscriptions s SET breaker_failures = 0, breaker_streak_since = NULL, breaker_opened_at = NULL,
          breaker_probe_at = NULL, breaker_probes = 0, updated_at = $2::timestamp
        FROM cur WHERE s.id = cur.id RETURNING cur.was_open
      ), resumed AS (
        UPDATE deliveries d SET paused_at = NULL, updated_at = $2::timestamp
        FROM next WHERE d.subscription_id = $1 AND d.status = 'pending' AND d.paused_at IS NOT NULL
        RETURNING d.id, d.attempts, d.next_attempt_at, d.held_at
      )
      SELECT next.was_open, r.id, r.attempts, r.next_attempt_at <= $2::timestamp AND r.held_at IS NULL AS due
      FROM next LEFT JOIN resumed r ON true
      ORDER BY r.next_attempt_at, r.id`,
    values: [sub.id, now.toISOString()],
  });
  const openedAt = rows[0]?.was_open;
  if (!openedAt) return null;
  const resumed = rows.flatMap((row) => (row.id === null ? [] : [{ ...row, id: row.id }]));
  await admitResumed(ctx, pushUrlOf(sub), resumed);
  return { openedAt, resumed: resumed.length };
}

interface ResumedRow {
  id: string;
  attempts: number;
  due: boolean;
}

/** Admits the resumed deliveries that are due, in the order given (due time), a batch at a time. */
async function admitResumed(ctx: DomainContext, webhookUrl: string, rows: ResumedRow[]): Promise<void> {
  const due = rows.filter((row) => row.due);
  for (let i = 0; i < due.length; i += RESUME_BATCH)
    await admitDueDeliveries(
      ctx,
      due.slice(i, i + RESUME_BATCH).map((row) => ({ id: row.id, attempts: row.attempts, webhookUrl })),
    );
}

/**
 * Resumes the paused deliveries of a subscription whose breaker state was reset by an edit (the
 * breaker turned off, or the subscription turned on again). Returns how many resumed.
 */
export async function resumePausedDeliveries(
  ctx: DomainContext,
  sub: Pick<WebhookSubscription, 'id' | 'delivery' | 'webhookUrl'>,
): Promise<number> {
  const now = new Date();
  const { rows } = await ctx.sql.query<ResumedRow>({
    name: 'resume-paused-deliveries',
    text: `WITH resumed AS (
        UPDATE deliveries SET paused_at = NULL, updated_at = $2::timestamp
        WHERE subscription_id = $1 AND status = 'pending' AND paused_at IS NOT NULL
        RETURNING id, attempts, next_attempt_at, held_at
      )
      SELECT id, attempts, next_attempt_at <= $2::timestamp AND held_at IS NULL AS due FROM resumed ORDER BY next_attempt_at, id`,
    values: [sub.id, now.toISOString()],
  });
  await admitResumed(ctx, pushUrlOf(sub), rows);
  return rows.length;
}

/** A success: the failure streak ends; an open breaker closes, its deliveries resume and the owner hears of it. */
export async function recordBreakerSuccess(ctx: DomainContext, sub: BreakerSub): Promise<void> {
  if (!sub.breakerEnabled) return;
  const closed = await closeBreaker(ctx, sub);
  seenOpen.get(ctx)?.delete(sub.id);
  if (!closed) return;
  breakerTransitions.inc({ transition: 'closed' });
  ctx.logger.info('circuit breaker closed: deliveries resumed', { subscriptionId: sub.id, resumed: closed.resumed });
  await recordEvent(ctx, {
    type: EVENT.subscriptionRecovered,
    data: {
      subscription_id: sub.id,
      webhook_url: sub.webhookUrl,
      unhealthy_since: closed.openedAt.toISOString(),
      recovered_at: new Date().toISOString(),
      resumed: closed.resumed,
    },
    audienceAgentId: sub.ownerAgentId,
  });
}

/**
 * Sends the probes that are due: for each open breaker whose probe time has come (claimed with
 * SKIP LOCKED, so concurrent maintenance runs never probe twice), the next probe time moves on
 * and its oldest paused delivery is unpaused and made due (at the real time: `now` may be a test's future), then admitted. Postgres holds the
 * probe: if the admission is lost, the sweeper admits the unpaused delivery.
 */
export async function probeOpenBreakers(ctx: DomainContext, now = new Date()): Promise<number> {
  const { rows } = await ctx.sql.query<{ id: string; attempts: number; webhook_url: string }>({
    name: 'probe-open-breakers',
    text: `WITH due AS (
        SELECT id FROM webhook_subscriptions
        WHERE breaker_probe_at <= $1::timestamp AND breaker_opened_at IS NOT NULL AND is_active AND deleted_at IS NULL
        ORDER BY breaker_probe_at LIMIT $4 FOR NO KEY UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE webhook_subscriptions s SET breaker_probes = s.breaker_probes + 1, updated_at = $1::timestamp,
          breaker_probe_at = $1::timestamp + least($2 * power(2, s.breaker_probes + 1), $3) * interval '1 millisecond'
        FROM due WHERE s.id = due.id RETURNING s.id, s.webhook_url
      ), probe AS (
        UPDATE deliveries d SET paused_at = NULL, next_attempt_at = $5::timestamp, updated_at = $5::timestamp
        FROM claimed, LATERAL (
          SELECT p.id FROM deliveries p
          WHERE p.subscription_id = claimed.id AND p.status = 'pending' AND p.paused_at IS NOT NULL AND p.held_at IS NULL
          ORDER BY p.next_attempt_at, p.id LIMIT 1
        ) pick
        WHERE d.id = pick.id
        RETURNING d.id, d.attempts, claimed.webhook_url
      )
      SELECT id, attempts, webhook_url FROM probe`,
    values: [now.toISOString(), PROBE_FIRST_MS, PROBE_MAX_MS, PROBE_BATCH, new Date().toISOString()],
  });
  if (rows.length === 0) return 0;
  await admitDueDeliveries(
    ctx,
    rows.map((row) => ({ id: row.id, attempts: row.attempts, webhookUrl: row.webhook_url })),
  );
  ctx.logger.info('circuit breaker probes sent', { count: rows.length });
  return rows.length;
}
