import type { Response } from 'express';
import { compareStreamIds } from './stream-id';

export interface LiveEvent { id: string | null; event: string; data: unknown }

/**
 * One open event stream. While its replay runs, live events are held back and released
 * afterwards, minus those the replay already sent, so the client sees each id once, in order.
 */
export class SseConnection {
  /** Newest stream id this client has seen; sent with events that have no stream id of their own. */
  lastId = '0-0';
  private held: LiveEvent[] | null = [];
  private closed = false;

  constructor(readonly hostId: string, private readonly res: Response, private readonly maxBufferedBytes: number, private readonly onDrop: (why: string) => void) {}

  get isOpen(): boolean { return !this.closed; }

  /** A live event from the bus: held during replay, else written. */
  deliver(event: LiveEvent): void {
    if (this.held) this.held.push(event);
    else this.write(event);
  }

  /** Replay is done: release held live events newer than what the client already has. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const event of held) this.write(event);
  }

  write(event: LiveEvent): void {
    if (this.closed) return;
    if (event.id) {
      if (compareStreamIds(event.id, this.lastId) <= 0) return;
      this.lastId = event.id;
    }
    this.send(this.frame(event.event, event.data));
  }

  /** The comment and the event in one write: a beat goes to every stream at once. */
  heartbeat(now = new Date()): void {
    this.send(`: ping\n\n${this.frame('heartbeat', { server_time: now.toISOString() })}`);
  }

  raw(text: string): void { this.send(text); }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  private frame(event: string, data: unknown): string {
    return `id: ${this.lastId}\nevent: ${event}\ndata: ${JSON.stringify(data ?? null)}\n\n`;
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
