import { Prisma, prismaCompatibleTypes, readModels, selectModel, type Event } from '@bellhop/db';
import type { PoolClient } from 'pg';
import type { DomainContext } from '../context';

/** SQL of pull messages (deliveries of pull subscriptions, numbered by `pull_seq`), written once here. */

export interface PullPair {
  deliveryId: string;
  eventId: string;
  subscriptionId: string;
}

/**
 * Numbers and inserts the new messages under the subscriptions' row locks, taken in id order
 * (no deadlock between two fan-outs). The lock is held until COMMIT, so a subscription's
 * numbers commit in the order they were given: a reader who has seen number n can never later
 * find a smaller one appear. Pairs already present (a fan-out run again) take no number.
 */
const INSERT_PULL_MESSAGES = `
  WITH new AS (
    SELECT n.id, n.event_id, n.subscription_id, n.ord
    FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS n(id, event_id, subscription_id, ord)
    WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = n.event_id AND d.subscription_id = n.subscription_id)
  ), counts AS (
    SELECT subscription_id, count(*) AS n FROM new GROUP BY subscription_id
  ), bumped AS (
    UPDATE webhook_subscriptions s SET pull_seq = s.pull_seq + counts.n
    FROM counts WHERE s.id = counts.subscription_id
    RETURNING s.id, s.pull_seq - counts.n AS base
  ), inserted AS (
    INSERT INTO deliveries (id, event_id, subscription_id, status, pull_seq, created_at, updated_at)
    SELECT new.id, new.event_id, new.subscription_id, 'pending',
      bumped.base + row_number() OVER (PARTITION BY new.subscription_id ORDER BY new.ord), $4::timestamp, $4::timestamp
    FROM new JOIN bumped ON bumped.id = new.subscription_id
    ON CONFLICT (event_id, subscription_id) DO NOTHING
    RETURNING subscription_id, pull_seq
  )
  SELECT subscription_id, max(pull_seq)::text AS last FROM inserted GROUP BY subscription_id`;

type NewMessages = { subscriptionId: string; last: string }[];

/** Locks and inserts on a client inside the caller's transaction (the commit releases the locks). */
export async function insertPullMessagesOn(client: PoolClient, pairs: PullPair[], now: Date): Promise<NewMessages> {
  await client.query({
    name: 'lock-pull-subscriptions',
    text: 'SELECT id FROM webhook_subscriptions WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    values: [[...new Set(pairs.map((p) => p.subscriptionId))]],
  });
  const { rows } = await client.query<{ subscription_id: string; last: string }>({
    name: 'insert-pull-messages',
    text: INSERT_PULL_MESSAGES,
    values: [
      pairs.map((p) => p.deliveryId),
      pairs.map((p) => p.eventId),
      pairs.map((p) => p.subscriptionId),
      now.toISOString(),
    ],
  });
  return rows.map((row) => ({ subscriptionId: row.subscription_id, last: row.last }));
}

/** Inserts pull messages in their own transaction; returns each subscription's newest new cursor (for the live signal). */
export async function insertPullMessages(
  ctx: Pick<DomainContext, 'sql'>,
  pairs: PullPair[],
  now: Date,
): Promise<NewMessages> {
  if (pairs.length === 0) return [];
  const client = await ctx.sql.connect();
  try {
    await client.query('BEGIN');
    const inserted = await insertPullMessagesOn(client, pairs, now);
    await client.query('COMMIT');
    return inserted;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface StoredPullMessage {
  deliveryId: string;
  seq: bigint;
  status: string;
  event: Event;
}

const SELECT_PULL_MESSAGES = `SELECT d.id AS "deliveryId", d.pull_seq AS seq, d.status::text AS status,
    ${selectModel('e', Prisma.EventScalarFieldEnum)}
  FROM deliveries d JOIN events e ON e.id = d.event_id
  WHERE d.subscription_id = $1 AND d.pull_seq > $2::bigint AND d.status::text <> 'cancelled'
  ORDER BY d.pull_seq LIMIT $3`;

/** A subscription's messages after a cursor, oldest first (cancelled ones left out). */
export async function selectPullMessages(
  ctx: Pick<DomainContext, 'sql'>,
  subscriptionId: string,
  after: bigint,
  limit: number,
): Promise<StoredPullMessage[]> {
  const result = await ctx.sql.query<Record<string, unknown>>({
    name: 'select-pull-messages',
    text: SELECT_PULL_MESSAGES,
    values: [subscriptionId, after.toString(), limit],
    types: prismaCompatibleTypes,
  });
  const events = readModels<Event>(result, 'e', Prisma.EventScalarFieldEnum);
  return result.rows.map((row, i) => ({
    deliveryId: row.deliveryId as string,
    seq: row.seq as bigint,
    status: row.status as string,
    event: events[i],
  }));
}

/**
 * Moves the acknowledged cursor forward (never back) and marks every pending message up to it
 * delivered, in one statement under the subscription's row lock. Nothing changes for a cursor
 * past the last message; the caller tells that apart by `last`.
 */
const ACK_PULL_MESSAGES = `
  WITH sub AS (
    SELECT id, pull_seq, pull_acked_seq FROM webhook_subscriptions WHERE id = $1 FOR UPDATE
  ), acked AS (
    UPDATE webhook_subscriptions s SET pull_acked_seq = $2::bigint, last_successful_call = $3::timestamp
    FROM sub WHERE s.id = sub.id AND $2::bigint > sub.pull_acked_seq AND $2::bigint <= sub.pull_seq
    RETURNING s.pull_acked_seq
  ), delivered AS (
    UPDATE deliveries d SET status = 'succeeded', completed_at = $3::timestamp, updated_at = $3::timestamp
    FROM sub WHERE d.subscription_id = sub.id AND d.pull_seq > sub.pull_acked_seq AND d.pull_seq <= $2::bigint
      AND $2::bigint <= sub.pull_seq AND d.status::text = 'pending'
    RETURNING 1
  )
  SELECT sub.pull_seq::text AS last, coalesce((SELECT pull_acked_seq FROM acked), sub.pull_acked_seq)::text AS acked,
    (SELECT count(*) FROM delivered)::int AS delivered
  FROM sub`;

export async function updatePullAck(
  ctx: Pick<DomainContext, 'sql'>,
  subscriptionId: string,
  cursor: bigint,
  now: Date,
): Promise<{ last: bigint; acked: bigint; delivered: number }> {
  const { rows } = await ctx.sql.query<{ last: string; acked: string; delivered: number }>({
    name: 'ack-pull-messages',
    text: ACK_PULL_MESSAGES,
    values: [subscriptionId, cursor.toString(), now.toISOString()],
  });
  const [row] = rows;
  return { last: BigInt(row.last), acked: BigInt(row.acked), delivered: row.delivered };
}
