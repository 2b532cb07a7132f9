import { Prisma, type Property } from '@bellhop/db';
import { newId } from '@bellhop/events';
import type { RequestOrigin, Tx } from '../events/record-event';
import { insertEvent } from '../events/record-event';
import type { NormalisedProperty } from './inbound.types';

/** The channel connection a change came through: it reads and writes only its own host's records. */
export interface Channel extends RequestOrigin {
  connectionId: string;
  provider: string;
  hostId: string;
}

/** A channel record's key: the same external id on another host's connection is another record. */
export const channelKey = (channel: Channel, externalId: string) => ({
  hostId_sourceChannel_externalId: { hostId: channel.hostId, sourceChannel: channel.provider, externalId },
});

/**
 * Locks a channel record's row (if it exists) until the transaction ends, so concurrent receipts
 * about one booking or property apply one after the other, each comparing against the last one's
 * result: a change is recorded once. A row not yet committed is not locked; its unique index is.
 */
export async function lockChannelRecord(
  tx: Tx,
  table: 'bookings' | 'properties',
  channel: Channel,
  externalId: string,
): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM ${Prisma.raw(table)}
    WHERE host_id = ${channel.hostId} AND source_channel = ${channel.provider} AND external_id = ${externalId} FOR UPDATE`;
}

const propertyData = (p: Property, extra: Record<string, unknown> = {}) => ({
  property_id: p.id,
  host_id: p.hostId,
  title: p.title,
  address: p.address,
  source_channel: p.sourceChannel,
  external_id: p.externalId,
  ...extra,
});

async function recordPropertyEvent(
  tx: Tx,
  channel: Channel,
  type: string,
  property: Property,
  extra?: Record<string, unknown>,
): Promise<string> {
  return (
    await insertEvent(tx, {
      type,
      hostId: property.hostId,
      propertyId: property.id,
      requestId: channel.requestId ?? null,
      trace: channel.trace,
      sourceConnectionId: channel.connectionId,
      data: propertyData(property, extra),
    })
  ).id;
}

/**
 * The Property a channel listing maps to, created (owned by the connection's host) when unknown,
 * updated when title or address really changed; property.created / property.updated recorded then.
 */
export async function upsertChannelProperty(
  tx: Tx,
  channel: Channel,
  input: NormalisedProperty,
  eventIds: string[],
): Promise<Property> {
  await lockChannelRecord(tx, 'properties', channel, input.externalId);
  const existing = await tx.property.findUnique({ where: channelKey(channel, input.externalId) });
  if (!existing) {
    const created = await tx.property.create({
      data: {
        id: newId('property'),
        hostId: channel.hostId,
        title: input.title ?? `${channel.provider} listing ${input.externalId}`,
        address: input.address ?? null,
        sourceChannel: channel.provider,
        externalId: input.externalId,
      },
    });
    eventIds.push(await recordPropertyEvent(tx, channel, 'property.created', created));
    return created;
  }
  const title = input.title ?? existing.title;
  const address = input.address === undefined ? existing.address : input.address;
  if (title === existing.title && address === existing.address && !existing.deletedAt) return existing;
  const updated = await tx.property.update({ where: { id: existing.id }, data: { title, address, deletedAt: null } });
  eventIds.push(await recordPropertyEvent(tx, channel, 'property.updated', updated));
  return updated;
}

export async function deleteChannelProperty(
  tx: Tx,
  channel: Channel,
  input: NormalisedProperty,
  eventIds: string[],
): Promise<void> {
  await lockChannelRecord(tx, 'properties', channel, input.externalId);
  const existing = await tx.property.findUnique({ where: channelKey(channel, input.externalId) });
  if (!existing || existing.deletedAt) return;
  const deleted = await tx.property.update({ where: { id: existing.id }, data: { deletedAt: new Date() } });
  eventIds.push(await recordPropertyEvent(tx, channel, 'property.deleted', deleted));
}

export async function mergeChannelProperty(
  tx: Tx,
  channel: Channel,
  input: NormalisedProperty,
  mergedInto: string | undefined,
  eventIds: string[],
): Promise<void> {
  const existing = await tx.property.findUnique({ where: channelKey(channel, input.externalId) });
  if (!existing) return;
  const target = mergedInto ? await tx.property.findUnique({ where: channelKey(channel, mergedInto) }) : null;
  eventIds.push(
    await recordPropertyEvent(tx, channel, 'property.merged', existing, {
      merged_into: target?.id ?? null,
      merged_into_external_id: mergedInto ?? null,
    }),
  );
}
