import { Cluster, type Redis } from 'ioredis';
import slotOf from 'cluster-key-slot';

/** A single Redis or a Redis Cluster: the bus works on either. */
export type BusClient = Redis | Cluster;

/**
 * Every bus PUBLISH / SUBSCRIBE goes through here. On a Cluster it is sharded pub/sub
 * (SPUBLISH / SSUBSCRIBE, Redis 7.0+): a message travels only to the node owning its channel's
 * slot instead of the whole cluster bus. The Cluster subscriber must be created with
 * `shardedSubscribers: true`, which gives it one connection per master.
 */
const isCluster = (client: BusClient): client is Cluster => client instanceof Cluster;

export async function busPublish(client: BusClient, channel: string, message: string): Promise<void> {
  if (isCluster(client)) await client.spublish(channel, message);
  else await client.publish(channel, message);
}

/** SSUBSCRIBE takes channels of one slot per call; each group is one command, all sent at once. */
function bySlot(channels: string[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const channel of channels) {
    const slot = slotOf(channel);
    groups.set(slot, [...(groups.get(slot) ?? []), channel]);
  }
  return [...groups.values()];
}

/** Resolves once Redis has confirmed every channel: messages published from then on arrive. */
export async function busSubscribe(client: BusClient, channels: string[]): Promise<void> {
  if (channels.length === 0) return;
  if (isCluster(client)) await Promise.all(bySlot(channels).map((group) => client.ssubscribe(...group)));
  else await client.subscribe(...channels);
}

export async function busUnsubscribe(client: BusClient, channels: string[]): Promise<void> {
  if (channels.length === 0) return;
  if (isCluster(client)) await Promise.all(bySlot(channels).map((group) => client.sunsubscribe(...group)));
  else await client.unsubscribe(...channels);
}

/** Calls `handler` with each message the subscriber receives, sharded or not. */
export function onBusMessage(client: BusClient, handler: (channel: string, message: string) => void): void {
  client.on(isCluster(client) ? 'smessage' : 'message', handler);
}
