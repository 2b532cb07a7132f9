import type { Logger } from '@bellhop/logger';
import { busKeys, busSubscribe, busUnsubscribe, type BusClient } from '@bellhop/realtime-bus';

/** How long changes gather before one SUBSCRIBE and one UNSUBSCRIBE carry them all. */
const CHANNEL_BATCH_MS = 5;

interface Waiters {
  promise: Promise<void>;
  settle(subscribed: Promise<void>): void;
}

function waiters(): Waiters {
  let settle!: (subscribed: Promise<void>) => void;
  const promise = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

/**
 * The host channels this process listens to: a host's channel while at least one of its streams
 * is open here. Changes gather for a few ms, so thousands of hosts connecting at once cost a few
 * commands. The subscriber's commands apply in the order sent, so what was sent is what Redis
 * holds: a channel released and acquired again before the next batch is never touched.
 */
export class HostChannels {
  private readonly streams = new Map<string, number>();
  /** Channel → the SUBSCRIBE that added it, as sent (resolved once Redis confirmed it). */
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly changed = new Set<string>();
  private nextBatch: Waiters | null = null;
  private timer: NodeJS.Timeout | null = null;

  private readonly channelOf: (id: string) => string;

  /** `channelOf` names the channel of an id: a host's by default, or a pull subscription's (busKeys.pullChannel). */
  constructor(
    private readonly subscriber: BusClient,
    prefix: string,
    private readonly logger: Logger,
    channelOf?: (keys: ReturnType<typeof busKeys>) => (id: string) => string,
  ) {
    const keys = busKeys(prefix);
    this.channelOf = channelOf ? channelOf(keys) : keys.hostChannel;
  }

  /** Hosts with at least one stream here (the channels this process wants). */
  get hostCount(): number {
    return this.streams.size;
  }

  /** One more stream of `hostId`; resolves once its channel is subscribed, so nothing published after is missed. */
  acquire(hostId: string): Promise<void> {
    this.streams.set(hostId, (this.streams.get(hostId) ?? 0) + 1);
    const subscribed = this.subscribed.get(this.channelOf(hostId));
    if (subscribed) return subscribed;
    this.changed.add(hostId);
    this.nextBatch ??= waiters();
    this.schedule();
    return this.nextBatch.promise;
  }

  /** One stream of `hostId` fewer; the last one gives its channel up. */
  release(hostId: string): void {
    const left = (this.streams.get(hostId) ?? 0) - 1;
    if (left > 0) {
      this.streams.set(hostId, left);
      return;
    }
    this.streams.delete(hostId);
    this.changed.add(hostId);
    this.schedule();
  }

  /** Stops batching (shutdown); the subscriber's own quit ends the subscriptions. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), CHANNEL_BATCH_MS);
  }

  private flush(): void {
    this.timer = null;
    const toSubscribe: string[] = [];
    const toUnsubscribe: string[] = [];
    for (const hostId of this.changed) {
      const channel = this.channelOf(hostId);
      const wanted = this.streams.has(hostId);
      if (wanted && !this.subscribed.has(channel)) toSubscribe.push(channel);
      if (!wanted && this.subscribed.delete(channel)) toUnsubscribe.push(channel);
    }
    this.changed.clear();
    const batch = this.nextBatch;
    this.nextBatch = null;
    if (toUnsubscribe.length) {
      busUnsubscribe(this.subscriber, toUnsubscribe).catch((error: Error) =>
        this.logger.warn('unsubscribing host channels failed', {
          channels: toUnsubscribe.length,
          error: error.message,
        }),
      );
    }
    const subscribing = busSubscribe(this.subscriber, toSubscribe);
    for (const channel of toSubscribe) this.subscribed.set(channel, subscribing);
    // A failed batch is forgotten, so the next stream of those hosts tries again.
    subscribing.catch(() => {
      for (const channel of toSubscribe)
        if (this.subscribed.get(channel) === subscribing) this.subscribed.delete(channel);
    });
    batch?.settle(subscribing);
  }
}
