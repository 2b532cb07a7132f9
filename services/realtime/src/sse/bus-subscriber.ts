import type { Logger } from '@bellhop/logger';
import { busMessagesReceived } from '@bellhop/metrics';
import {
  busKeys,
  busSubscribe,
  onBusMessage,
  type BroadcastMessage,
  type BusClient,
  type HostMessage,
  type PullSignal,
} from '@bellhop/realtime-bus';
import type { PullStreams } from '../pull/pull-streams';
import type { ConnectionHub } from './connection-hub';
import { HostChannels } from './host-channels';
import type { SseConnection } from './sse-connection';

/**
 * The process's one subscriber connection: the broadcast channel always, a host's channel while
 * one of its streams is open here (see HostChannels), a pull subscription's likewise; routes what
 * arrives to local streams.
 */
export async function subscribeToBus(
  subscriber: BusClient,
  prefix: string,
  hub: ConnectionHub,
  logger: Logger,
  pulls?: PullStreams,
): Promise<HostChannels> {
  const keys = busKeys(prefix);
  onBusMessage(subscriber, (channel, raw) => {
    try {
      if (channel === keys.broadcastChannel) {
        busMessagesReceived.inc({ kind: 'broadcast' });
        const message = JSON.parse(raw) as BroadcastMessage;
        for (const connection of hub.all()) connection.deliver({ id: null, event: message.event, data: message.data });
      } else if (keys.isPullChannel(channel)) {
        busMessagesReceived.inc({ kind: 'pull' });
        pulls?.wake((JSON.parse(raw) as PullSignal).subscriptionId);
      } else {
        busMessagesReceived.inc({ kind: 'host' });
        const message = JSON.parse(raw) as HostMessage;
        for (const connection of hub.forHost(message.hostId))
          connection.deliver({ id: message.id, event: message.event, data: message.data });
      }
    } catch (error) {
      logger.warn('unreadable bus message skipped', { channel, error: (error as Error).message });
    }
  });
  await busSubscribe(subscriber, [keys.broadcastChannel]);
  return new HostChannels(subscriber, prefix, logger);
}

/** Streams given their heartbeat before yielding to I/O: one beat over 10k streams would otherwise hold live events back for ~0.5 s. */
const HEARTBEAT_SLICE = 500;

function beatFrom(connections: SseConnection[], start: number): void {
  const end = Math.min(start + HEARTBEAT_SLICE, connections.length);
  const now = new Date();
  for (let i = start; i < end; i++) connections[i].heartbeat(now);
  if (end < connections.length) setImmediate(beatFrom, connections, end);
}

/** One timer per process: a `: ping` comment plus a `heartbeat` event on every stream. */
export function startHeartbeat(hub: ConnectionHub, intervalSeconds: number): () => void {
  const timer = setInterval(() => beatFrom([...hub.all()], 0), intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
