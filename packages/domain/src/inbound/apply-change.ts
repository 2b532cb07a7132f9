import { EVENT } from '@bellhop/events';
import { insertEvent, type Tx } from '../events/record-event';
import {
  channelKey,
  deleteChannelProperty,
  mergeChannelProperty,
  upsertChannelProperty,
  type Channel,
} from './apply-property';
import { applyReservation } from './apply-reservation';
import type { InboundChange } from './inbound.types';

/** A change that touches records (ignored and disconnected ones do not). */
export type RecordChange = Exclude<InboundChange, { kind: 'ignored' | 'disconnected' }>;

/** message.created / review.created once per channel message or review, however often it is delivered. */
async function recordOnce(
  tx: Tx,
  channel: Channel,
  type: string,
  externalId: string,
  reservationExternalId: string | null,
  data: Record<string, unknown>,
  eventIds: string[],
): Promise<void> {
  const idempotencyKey = `${channel.provider}:${type}:${externalId}`;
  if (
    await tx.event.findUnique({
      where: { sourceConnectionId_idempotencyKey: { sourceConnectionId: channel.connectionId, idempotencyKey } },
      select: { id: true },
    })
  )
    return;
  const booking = reservationExternalId
    ? await tx.booking.findUnique({ where: channelKey(channel, reservationExternalId) })
    : null;
  const event = await insertEvent(tx, {
    type,
    hostId: channel.hostId,
    bookingId: booking?.id ?? null,
    propertyId: booking?.propertyId ?? null,
    idempotencyKey,
    requestId: channel.requestId ?? null,
    trace: channel.trace,
    sourceConnectionId: channel.connectionId,
    data: { ...data, booking_id: booking?.id ?? null, source_channel: channel.provider, external_id: externalId },
  });
  eventIds.push(event.id);
}

/** Applies a change to the connection's host's records inside the caller's transaction; ids of the events it recorded go to `eventIds`. */
export async function applyChange(tx: Tx, channel: Channel, change: RecordChange, eventIds: string[]): Promise<void> {
  switch (change.kind) {
    case 'reservation':
      return applyReservation(tx, channel, change.reservation, eventIds);
    case 'message':
      return recordOnce(
        tx,
        channel,
        EVENT.messageCreated,
        change.externalId,
        change.reservationExternalId,
        { conversation_id: change.conversationId, sender: change.sender, body: change.body },
        eventIds,
      );
    case 'review':
      return recordOnce(
        tx,
        channel,
        EVENT.reviewCreated,
        change.externalId,
        change.reservationExternalId,
        { review_id: change.externalId, rating: change.rating, body: change.body },
        eventIds,
      );
    case 'property':
      if (change.action === 'deleted') return deleteChannelProperty(tx, channel, change.property, eventIds);
      if (change.action === 'merged')
        return mergeChannelProperty(tx, channel, change.property, change.mergedInto, eventIds);
      await upsertChannelProperty(tx, channel, change.property, eventIds);
  }
}
