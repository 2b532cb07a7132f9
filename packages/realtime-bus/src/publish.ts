import { busKeys } from './keys';
import type { BroadcastMessage, HostMessage, PullSignal } from './messages';
import { busPublish, type BusClient } from './pubsub';

export interface BusOptions {
  prefix: string;
  historyLength: number;
}

/**
 * Appends an event to the host's capped stream (for replay), then publishes it on the host's
 * channel for live delivery. Returns the stream id, which clients see as the SSE event id.
 */
export async function publishToHost(
  redis: BusClient,
  options: BusOptions,
  hostId: string,
  event: string,
  data: unknown,
): Promise<string> {
  const keys = busKeys(options.prefix);
  const id = await redis.xadd(
    keys.hostStream(hostId),
    'MAXLEN',
    String(options.historyLength),
    '*',
    'event',
    event,
    'data',
    JSON.stringify(data),
  );
  if (!id) throw new Error('XADD returned no id');
  const message: HostMessage = { hostId, id, event, data };
  await busPublish(redis, keys.hostChannel(hostId), JSON.stringify(message));
  return id;
}

/** Sends an event to every connected host on every realtime process (not replayed). */
export async function publishBroadcast(
  redis: BusClient,
  options: Pick<BusOptions, 'prefix'>,
  event: string,
  data: unknown,
): Promise<string> {
  const message: BroadcastMessage = { id: `b-${Date.now()}`, event, data };
  await busPublish(redis, busKeys(options.prefix).broadcastChannel, JSON.stringify(message));
  return message.id;
}

/** Wakes the streams of a pull subscription: its messages up to `cursor` are in Postgres (the signal carries no content). */
export async function publishPullSignal(
  redis: BusClient,
  options: Pick<BusOptions, 'prefix'>,
  subscriptionId: string,
  cursor: string,
): Promise<void> {
  const signal: PullSignal = { subscriptionId, cursor };
  await busPublish(redis, busKeys(options.prefix).pullChannel(subscriptionId), JSON.stringify(signal));
}
