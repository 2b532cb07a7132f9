import type { Response } from 'express';
import { compareStreamIds } from './stream-id';

export interface LiveEvent {
  id: string | null;
  event: string;
  data: unknown;
}

/**
 * One open event stream. While its replay runs, live events are held back and released
 * afterwards, minus those the replay already sent, so the client sees each id once.
 */
export class SseConnection {
  /** Newest stream id this client has been sent; the `id:` of events without a stream id of their own. */
  lastId = '0-0';
  /** Live events up to this id reached the client before (its Last-Event-ID) or through the replay. */
  private replayedUpTo = '0-0';
  private held: LiveEvent[] | null = [];
  private closed = false;

  constructor(
    readonly hostId: string,
    private readonly res: Response,
    private readonly maxBufferedBytes: number,
    private readonly onDrop: (why: string) => void,
  ) {}

  get isOpen(): boolean {
    return !this.closed;
  }

  /** A fresh stream starts at the host's newest id; every live event from the subscription on is new to it. */
  startAt(latestId: string): void {
    this.lastId = latestId;
  }

  /** A resumed stream: the client has everything up to `lastEventId`; the replay sends the rest. */
  resumeAfter(lastEventId: string): void {
    this.lastId = lastEventId;
    this.replayedUpTo = lastEventId;
  }

  replay(entries: LiveEvent[]): void {
    for (const entry of entries) {
      this.write(entry);
      if (entry.id && compareStreamIds(entry.id, this.replayedUpTo) > 0) this.replayedUpTo = entry.id;
    }
  }

  /** A live event from the bus: held during replay, else written. */
  deliver(event: LiveEvent): void {
    if (this.held) this.held.push(event);
    else this.writeLive(event);
  }

  /** Replay is done: release the held live events the replay did not send. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const event of held) this.writeLive(event);
  }

  write(event: LiveEvent): void {
    if (this.closed) return;
    if (event.id && compareStreamIds(event.id, this.lastId) > 0) this.lastId = event.id;
    this.send(this.frame(event.id ?? this.lastId, event.event, event.data));
  }

  private writeLive(event: LiveEvent): void {
    if (event.id && compareStreamIds(event.id, this.replayedUpTo) <= 0) return;
    this.write(event);
  }

  /** The comment and the event in one write: a beat goes to every stream at once. */
  heartbeat(now = new Date()): void {
    if (this.held) return; // not started yet: the stream's headers go out once it is subscribed
    this.send(`: ping\n\n${this.frame(this.lastId, 'heartbeat', { server_time: now.toISOString() })}`);
  }

  raw(text: string): void {
    this.send(text);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  private frame(id: string, event: string, data: unknown): string {
    return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data ?? null)}\n\n`;
  }

  private send(text: string): void {
    if (this.closed) return;
    this.res.write(text);
    // A client that stops reading would make us buffer without bound; let it reconnect instead.
    if (this.res.writableLength > this.maxBufferedBytes) {
      this.closed = true;
      this.res.destroy();
      this.onDrop('slow_client');
    }
  }
}
