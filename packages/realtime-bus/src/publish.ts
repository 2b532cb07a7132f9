import type { Cluster, Redis } from 'ioredis';
import { busKeys } from './keys';
import type { BroadcastMessage, HostMessage } from './messages';

export interface BusOptions { prefix: string; historyLength: number }

/**
 * Appends an event to the host's capped stream (for replay) and publishes it for live
 * delivery. Returns the stream id, which clients see as the SSE event id.
 */
export async function publishToHost(redis: Redis | Cluster, options: BusOptions, hostId: string, event: string, data: unknown): Promise<string> {
  const keys = busKeys(options.prefix);
  const id = await redis.xadd(keys.hostStream(hostId), 'MAXLEN', String(options.historyLength), '*', 'event', event, 'data', JSON.stringify(data));
  if (!id) throw new Error('XADD returned no id');
  const message: HostMessage = { hostId, id, event, data };
  await redis.publish(keys.hostsChannel, JSON.stringify(message));
  return id;
}

/** Sends an event to every connected host on every realtime process (not replayed). */
export async function publishBroadcast(redis: Redis | Cluster, options: Pick<BusOptions, 'prefix'>, event: string, data: unknown): Promise<string> {
  const message: BroadcastMessage = { id: `b-${Date.now()}`, event, data };
  await redis.publish(busKeys(options.prefix).broadcastChannel, JSON.stringify(message));
  return message.id;
}
