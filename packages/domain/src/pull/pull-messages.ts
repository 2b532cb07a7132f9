import type { WebhookSubscription } from '@bellhop/db';
import { conflict } from '@bellhop/errors';
import { buildSignatureHeaders } from '@bellhop/webhooks';
import type { DomainContext } from '../context';
import { deliveryBody } from '../deliveries/delivery-body';
import { subscriptionSigningKeys, subscriptionSigningSecrets } from '../subscriptions/secrets';
import { findSubscriptionForAgent } from '../subscriptions/subscription-data';
import { beyondLastMessage, isCursor } from './pull-cursor';
import { selectPullMessages, updatePullAck, type StoredPullMessage } from './pull-queries';

export type PullContext = Pick<DomainContext, 'db' | 'sql' | 'secrets'>;

/** One message as an agent reads it: the exact body a push would POST, and the headers it would carry. */
export interface PullMessage {
  cursor: string;
  id: string;
  delivery_id: string;
  event_type: string;
  created_at: string;
  delivered: boolean;
  body: string;
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };
}

export interface PullPage {
  items: PullMessage[];
  next_cursor: string;
  has_more: boolean;
  acked_cursor: string;
  /** The cursor asked for was older than what retention keeps: the messages between it and `oldest_cursor` are gone. */
  resync: boolean;
  oldest_cursor: string;
}

/** The owner's pull subscription, 404 for anyone else's, 409 for a push subscription. */
export async function findPullSubscription(
  ctx: Pick<DomainContext, 'db'>,
  ownerAgentId: string,
  id: string,
): Promise<WebhookSubscription> {
  const sub = await findSubscriptionForAgent(ctx, ownerAgentId, id);
  if (sub.delivery !== 'pull')
    throw conflict(
      'This subscription delivers by push: its deliveries are POSTed to its webhook_url',
      'push_subscription',
    );
  return sub;
}

/** Signs like a push attempt at this moment (Standard Webhooks), so an agent verifies exactly as a receiver does. */
export function presentPullMessage(
  ctx: Pick<DomainContext, 'secrets'>,
  sub: WebhookSubscription,
  message: StoredPullMessage,
  now = new Date(),
): PullMessage {
  const body = deliveryBody(message.event);
  const signed = buildSignatureHeaders({
    id: message.event.id,
    timestamp: Math.floor(now.getTime() / 1000),
    body,
    eventType: message.event.type,
    secrets: subscriptionSigningSecrets(ctx, sub, now),
    signingKeys: subscriptionSigningKeys(ctx, sub, now),
  });
  return {
    cursor: message.seq.toString(),
    id: message.event.id,
    delivery_id: message.deliveryId,
    event_type: message.event.type,
    created_at: message.event.createdAt.toISOString(),
    delivered: message.status === 'succeeded',
    body,
    headers: {
      'webhook-id': signed['webhook-id'],
      'webhook-timestamp': signed['webhook-timestamp'],
      'webhook-signature': signed['webhook-signature'],
    },
  };
}

/** Where a read starts: after the cursor given (or the acknowledged one), and never before what retention kept. */
function readStart(sub: WebhookSubscription, after: bigint | undefined) {
  const from = after ?? sub.pullAckedSeq;
  if (from > sub.pullSeq) throw beyondLastMessage('after', sub.pullSeq);
  const resync = from < sub.pullPurgedSeq;
  return { from: resync ? sub.pullPurgedSeq : from, resync };
}

/**
 * Where a live stream starts: after Last-Event-ID (a cursor) or else the acknowledged cursor. A
 * cursor this subscription never gave out, or one older than retention keeps, starts where it
 * can, with the reason the client must be told (a `resync`).
 */
export function streamStart(
  sub: WebhookSubscription,
  lastEventId: string | undefined,
): { from: bigint; resync: 'unknown_event_id' | 'history_trimmed' | null } {
  const known = lastEventId !== undefined && isCursor(lastEventId) && BigInt(lastEventId) <= sub.pullSeq;
  if (lastEventId !== undefined && !known) return { from: sub.pullAckedSeq, resync: 'unknown_event_id' };
  const from = known ? BigInt(lastEventId) : sub.pullAckedSeq;
  if (from < sub.pullPurgedSeq) return { from: sub.pullPurgedSeq, resync: 'history_trimmed' };
  return { from, resync: null };
}

/** Reads a subscription's messages after a cursor, oldest first, at most `limit`. */
export async function readPullMessages(
  ctx: PullContext,
  ownerAgentId: string,
  subscriptionId: string,
  query: { after?: bigint; limit: number },
): Promise<PullPage> {
  const sub = await findPullSubscription(ctx, ownerAgentId, subscriptionId);
  const { from, resync } = readStart(sub, query.after);
  const rows = await selectPullMessages(ctx, sub.id, from, query.limit + 1);
  const now = new Date();
  const items = rows.slice(0, query.limit).map((row) => presentPullMessage(ctx, sub, row, now));
  return {
    items,
    next_cursor: items.length > 0 ? items[items.length - 1].cursor : from.toString(),
    has_more: rows.length > query.limit,
    acked_cursor: sub.pullAckedSeq.toString(),
    resync,
    oldest_cursor: sub.pullPurgedSeq.toString(),
  };
}

/**
 * Acknowledges every message up to and including `cursor`: they are delivered (succeeded). Idempotent;
 * an older cursor than the acknowledged one changes nothing; one past the last message is refused (400).
 */
export async function ackPullMessages(
  ctx: PullContext,
  ownerAgentId: string,
  subscriptionId: string,
  cursor: bigint,
): Promise<{ acked_cursor: string; delivered: number }> {
  const sub = await findPullSubscription(ctx, ownerAgentId, subscriptionId);
  const result = await updatePullAck(ctx, sub.id, cursor, new Date());
  if (cursor > result.last) throw beyondLastMessage('cursor', result.last);
  return { acked_cursor: result.acked.toString(), delivered: result.delivered };
}
