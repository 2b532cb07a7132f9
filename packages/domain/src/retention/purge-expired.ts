import { rowsPurged } from '@bellhop/metrics';
import type { DomainContext } from '../context';
import { MAX_SWEEP_ATTEMPTS } from '../inbound/receipt-queue';
import { dataRetainedSince } from './horizon';

/** Rows one statement removes at most: each batch is its own short transaction. */
export const PURGE_BATCH = 1_000;

export interface PurgeResult {
  deliveries: number;
  attempts: number;
  events: number;
  inboundReceipts: number;
}

type PurgeContext = Pick<DomainContext, 'sql' | 'config' | 'logger'>;

// Rows another purge holds are skipped (SKIP LOCKED), and a delivery re-opened meanwhile is
// re-checked under its row lock, so a pending push delivery is never removed. Pull messages go
// read or not (an agent that never reads must not grow the table); their subscription remembers
// the newest one removed, so a reader asking for older ones is told to resync.
const PURGE_DELIVERIES = `
  WITH doomed AS (
    SELECT id FROM deliveries WHERE created_at < $1 AND (status <> 'pending' OR pull_seq IS NOT NULL)
    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
  ), attempts AS (
    DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM doomed) RETURNING 1
  ), removed AS (
    DELETE FROM deliveries WHERE id IN (SELECT id FROM doomed) RETURNING subscription_id, pull_seq
  ), gone AS (
    SELECT subscription_id AS id, max(pull_seq) AS seq FROM removed WHERE pull_seq IS NOT NULL GROUP BY 1
  ), locked AS (
    -- In id order, as a fan-out numbering pull messages locks them: the two never deadlock.
    SELECT s.id, gone.seq FROM webhook_subscriptions s JOIN gone ON gone.id = s.id ORDER BY s.id FOR UPDATE OF s
  ), pulled AS (
    UPDATE webhook_subscriptions s SET pull_purged_seq = greatest(s.pull_purged_seq, locked.seq)
    FROM locked WHERE s.id = locked.id
  )
  SELECT (SELECT count(*) FROM removed)::int AS rows, (SELECT count(*) FROM attempts)::int AS attempts`;

// An event goes once it is fanned out and none of its deliveries is left (a pending one keeps it).
const PURGE_EVENTS = `
  WITH doomed AS (
    SELECT e.id FROM events e
    WHERE e.created_at < $1 AND e.fanned_out_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
    ORDER BY e.created_at LIMIT $2 FOR UPDATE SKIP LOCKED
  ), removed AS (
    DELETE FROM events WHERE id IN (SELECT id FROM doomed) RETURNING 1
  )
  SELECT (SELECT count(*) FROM removed)::int AS rows`;

// A receipt the inbound sweeper would still process (received, or failed with tries left) stays.
const PURGE_RECEIPTS = `
  WITH doomed AS (
    SELECT id FROM inbound_receipts
    WHERE created_at < $1 AND NOT (status IN ('received', 'failed') AND attempts < $3)
    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
  ), removed AS (
    DELETE FROM inbound_receipts WHERE id IN (SELECT id FROM doomed) RETURNING 1
  )
  SELECT (SELECT count(*) FROM removed)::int AS rows`;

/** Runs one purge statement until a batch comes back short; the rows (and attempts) it removed. */
async function drain(ctx: PurgeContext, text: string, values: unknown[]): Promise<{ rows: number; attempts: number }> {
  const total = { rows: 0, attempts: 0 };
  for (;;) {
    const {
      rows: [batch],
    } = await ctx.sql.query<{ rows: number; attempts?: number }>({ text, values });
    total.rows += batch.rows;
    total.attempts += batch.attempts ?? 0;
    if (batch.rows < PURGE_BATCH) return total;
  }
}

/**
 * Removes events, deliveries (with their attempts) and inbound receipts created before the
 * retention horizon, oldest first, in batches of PURGE_BATCH rows. Never removes a pending push
 * delivery (pull messages go, read or not), an event that still has a delivery or is not fanned out yet, or a receipt still to
 * be processed. Safe to run in several workers at once, and to stop at any point.
 */
export async function purgeExpiredData(ctx: PurgeContext, now = new Date()): Promise<PurgeResult> {
  const horizon = dataRetainedSince(ctx.config, now);
  const deliveries = await drain(ctx, PURGE_DELIVERIES, [horizon, PURGE_BATCH]);
  const events = await drain(ctx, PURGE_EVENTS, [horizon, PURGE_BATCH]);
  const receipts = await drain(ctx, PURGE_RECEIPTS, [horizon, PURGE_BATCH, MAX_SWEEP_ATTEMPTS]);
  const result = {
    deliveries: deliveries.rows,
    attempts: deliveries.attempts,
    events: events.rows,
    inboundReceipts: receipts.rows,
  };
  rowsPurged.inc({ table: 'deliveries' }, result.deliveries);
  rowsPurged.inc({ table: 'delivery_attempts' }, result.attempts);
  rowsPurged.inc({ table: 'events' }, result.events);
  rowsPurged.inc({ table: 'inbound_receipts' }, result.inboundReceipts);
  if (Object.values(result).some((count) => count > 0))
    ctx.logger.info('expired data purged', { ...result, retainedSince: horizon.toISOString() });
  return result;
}
