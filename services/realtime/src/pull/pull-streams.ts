import type { PullStream } from './pull-stream';

/** This process's open pull streams, by subscription: a signal on a subscription's channel wakes its streams. */
export class PullStreams {
  private readonly bySubscription = new Map<string, Set<PullStream>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(stream: PullStream): void {
    const set = this.bySubscription.get(stream.subscriptionId) ?? new Set();
    if (!set.has(stream)) this.count += 1;
    set.add(stream);
    this.bySubscription.set(stream.subscriptionId, set);
  }

  /** False when the stream was not here (already removed). */
  remove(stream: PullStream): boolean {
    const set = this.bySubscription.get(stream.subscriptionId);
    if (!set?.delete(stream)) return false;
    this.count -= 1;
    if (set.size === 0) this.bySubscription.delete(stream.subscriptionId);
    return true;
  }

  wake(subscriptionId: string): void {
    for (const stream of this.bySubscription.get(subscriptionId) ?? []) void stream.catchUp();
  }

  *all(): Iterable<PullStream> {
    for (const set of this.bySubscription.values()) yield* set;
  }

  closeAll(): void {
    for (const stream of [...this.all()]) {
      stream.close();
      this.remove(stream);
    }
  }
}

/** One timer per process: each pull stream beats and reads Postgres (see PullStream.heartbeat). */
export function startPullHeartbeat(streams: PullStreams, intervalSeconds: number): () => void {
  const timer = setInterval(() => {
    const now = new Date();
    for (const stream of streams.all()) void stream.heartbeat(now);
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
