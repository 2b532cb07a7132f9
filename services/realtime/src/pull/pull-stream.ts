import { once } from 'node:events';
import type { Response } from 'express';
import type { WebhookSubscription } from '@bellhop/db';
import { findPullSubscription, presentPullMessage, selectPullMessages, type PullContext } from '@bellhop/domain';

/** Messages read from Postgres at a time; the next page is read once the client has taken this one. */
const PAGE = 100;

/**
 * One agent's live stream of a pull subscription. Postgres is the only source of messages: a
 * signal from the bus (or a heartbeat) makes it read what follows the last cursor it sent, one
 * read at a time, so each message goes out once and in order whatever signals arrive meanwhile.
 */
export class PullStream {
  private reading: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** Set once the headers went out: a beat or a signal before then must not write (it would send default headers). */
  private started = false;

  constructor(
    private readonly ctx: PullContext,
    readonly ownerAgentId: string,
    private sub: WebhookSubscription,
    private readonly res: Response,
    /** The cursor the client has: messages after it are sent. */
    private lastSent: bigint,
    private readonly onFailure: (error: Error) => void,
  ) {}

  get subscriptionId(): string {
    return this.sub.id;
  }

  get cursor(): string {
    return this.lastSent.toString();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** The headers are out: from here on beats and signals write; sends what was committed after the cursor. */
  start(): Promise<void> {
    this.started = true;
    return this.catchUp();
  }

  /** Sends what was committed after the last cursor; a call during a read makes that read go round once more. */
  catchUp(): Promise<void> {
    if (!this.started) return Promise.resolve(); // start() reads everything anyway
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readAll()
      .catch((error: Error) => this.onFailure(error))
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  /** A comment and a `heartbeat` event, then a read: a signal Redis lost costs one interval at most. */
  async heartbeat(now = new Date()): Promise<void> {
    if (this.closed || !this.started) return;
    try {
      this.sub = await findPullSubscription(this.ctx, this.ownerAgentId, this.sub.id); // picks up a rotated secret
    } catch (error) {
      this.onFailure(error as Error); // deleted meanwhile, or Postgres is out: the client reconnects
      return;
    }
    this.write(`: ping\n\n${frame(this.cursor, 'heartbeat', { server_time: now.toISOString() })}`);
    await this.catchUp();
  }

  event(event: string, data: unknown): void {
    this.write(frame(this.cursor, event, data));
  }

  raw(text: string): void {
    this.write(text);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  private async readAll(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        if (this.closed) return;
        const rows = await selectPullMessages(this.ctx, this.sub.id, this.lastSent, PAGE);
        const now = new Date();
        for (const row of rows) {
          if (this.closed) return;
          const message = presentPullMessage(this.ctx, this.sub, row, now);
          this.lastSent = row.seq;
          // A client that reads slowly holds the next page back instead of filling our memory.
          if (!this.write(frame(message.cursor, 'message', message)))
            await Promise.race([once(this.res, 'drain'), once(this.res, 'close')]);
        }
        if (rows.length < PAGE) break;
      }
    } while (this.again);
  }

  private write(text: string): boolean {
    if (this.closed) return true;
    return this.res.write(text);
  }
}

function frame(id: string, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
