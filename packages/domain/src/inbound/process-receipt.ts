import type { InboundConnection, InboundReceipt } from '@bellhop/db';
import { EVENT } from '@bellhop/events';
import { DomainError, notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';
import { enqueueEvents, insertEvent, type Tx } from '../events/record-event';
import { channelKey, deleteChannelProperty, mergeChannelProperty, upsertChannelProperty, type Channel } from './apply-property';
import { applyReservation } from './apply-reservation';
import { normaliseHostaway } from './hostaway.normalise';
import { normaliseHospitable } from './hospitable.normalise';
import type { InboundChange } from './inbound.types';

/** message.created / review.created once per channel message or review, however often it is delivered. */
async function recordOnce(tx: Tx, channel: Channel, type: string, externalId: string, reservationExternalId: string | null, data: Record<string, unknown>, eventIds: string[]): Promise<void> {
  const idempotencyKey = `${channel.provider}:${type}:${externalId}`;
  if (await tx.event.findUnique({ where: { sourceConnectionId_idempotencyKey: { sourceConnectionId: channel.connectionId, idempotencyKey } }, select: { id: true } })) return;
  const booking = reservationExternalId ? await tx.booking.findUnique({ where: channelKey(channel, reservationExternalId) }) : null;
  const event = await insertEvent(tx, {
    type, hostId: channel.hostId, bookingId: booking?.id ?? null, propertyId: booking?.propertyId ?? null, idempotencyKey, requestId: channel.requestId ?? null,
    sourceConnectionId: channel.connectionId,
    data: { ...data, booking_id: booking?.id ?? null, source_channel: channel.provider, external_id: externalId },
  });
  eventIds.push(event.id);
}

async function applyChange(tx: Tx, channel: Channel, change: Exclude<InboundChange, { kind: 'ignored' | 'disconnected' }>, eventIds: string[]): Promise<void> {
  switch (change.kind) {
    case 'reservation': return applyReservation(tx, channel, change.reservation, eventIds);
    case 'message': return recordOnce(tx, channel, EVENT.messageCreated, change.externalId, change.reservationExternalId, { conversation_id: change.conversationId, sender: change.sender, body: change.body }, eventIds);
    case 'review': return recordOnce(tx, channel, EVENT.reviewCreated, change.externalId, change.reservationExternalId, { review_id: change.externalId, rating: change.rating, body: change.body }, eventIds);
    case 'property':
      if (change.action === 'deleted') return deleteChannelProperty(tx, channel, change.property, eventIds);
      if (change.action === 'merged') return mergeChannelProperty(tx, channel, change.property, change.mergedInto, eventIds);
      await upsertChannelProperty(tx, channel, change.property, eventIds);
  }
}

function normalise(receipt: InboundReceipt): InboundChange {
  const body = JSON.parse(receipt.rawBody);
  return receipt.provider === 'hostaway' ? normaliseHostaway(body) : normaliseHospitable(body);
}

/**
 * Turns a stored channel webhook into bookings, properties and events. The changes and the
 * receipt's `processed` mark commit together; a failure marks it `failed` with the error and
 * rethrows so the job retries. Safe to run again: only real changes record events.
 */
export async function processInboundReceipt(ctx: DomainContext, receiptId: string, requestId?: string | null): Promise<InboundReceipt> {
  const found = await ctx.db.inboundReceipt.findUnique({ where: { id: receiptId }, include: { connection: true } });
  if (!found) throw notFound('Inbound receipt');
  const { connection, ...receipt }: InboundReceipt & { connection: InboundConnection } = found;
  const log = ctx.logger.child({ receiptId, provider: receipt.provider, eventName: receipt.eventName });
  await ctx.db.inboundReceipt.update({ where: { id: receiptId }, data: { attempts: { increment: 1 } } });
  const channel: Channel = { connectionId: connection.id, provider: receipt.provider, hostId: connection.hostId, requestId };
  try {
    const change = normalise(receipt);
    if (change.kind === 'ignored' || change.kind === 'disconnected') {
      const reason = change.kind === 'ignored' ? change.reason : 'the channel integration was disconnected at the provider';
      log[change.kind === 'ignored' ? 'info' : 'warn']('inbound webhook not applied', { reason });
      return await ctx.db.inboundReceipt.update({ where: { id: receiptId }, data: { status: change.kind === 'ignored' ? 'ignored' : 'processed', error: reason, processedAt: new Date() } });
    }
    const eventIds: string[] = [];
    const done = await ctx.db.$transaction(async (tx) => {
      await applyChange(tx, channel, change, eventIds);
      return tx.inboundReceipt.update({ where: { id: receiptId }, data: { status: 'processed', error: null, processedAt: new Date() } });
    });
    await enqueueEvents(ctx, eventIds, requestId);
    log.info('inbound webhook processed', { events: eventIds.length });
    return done;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    log.warn('inbound webhook failed; it will be retried', { error: message });
    await ctx.db.inboundReceipt.update({ where: { id: receiptId }, data: { status: 'failed', error: message.slice(0, 2000) } });
    throw error;
  }
}

/** Admin "run it again": the outcome is on the returned receipt (a failure is kept, not thrown). */
export async function reprocessInboundReceipt(ctx: DomainContext, receiptId: string, requestId?: string | null): Promise<InboundReceipt> {
  try {
    return await processInboundReceipt(ctx, receiptId, requestId);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw error;
    return ctx.db.inboundReceipt.findUniqueOrThrow({ where: { id: receiptId } });
  }
}
