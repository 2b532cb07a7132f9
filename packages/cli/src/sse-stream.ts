import { sseFrameSplitter } from '@bellhop/realtime-bus';
import { UsageError } from './command';

export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/** The fields of one SSE frame (comments and unknown fields ignored). */
function parseFrame(text: string): SseFrame {
  const frame: SseFrame = { event: 'message', data: '' };
  for (const line of text.split('\n')) {
    const [field, ...rest] = line.split(':');
    const value = rest.join(':').replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') frame.data += frame.data ? `\n${value}` : value;
  }
  return frame;
}

/** Splits an SSE byte stream into frames (blank-line separated; any line ending). */
export async function* frames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  const complete: SseFrame[] = [];
  const feed = sseFrameSplitter((text) => complete.push(parseFrame(text)));
  for await (const chunk of body) {
    feed(decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n'));
    for (const frame of complete.splice(0)) if (frame.data || frame.id) yield frame;
  }
}

export interface FollowOptions {
  /** The Authorization header of each connection (a fresh one each time, if it expires). */
  authorization(): string | Promise<string>;
  /** Handles a frame; its id becomes the Last-Event-ID only once this has finished. */
  onFrame(frame: SseFrame): void | Promise<void>;
}

/**
 * Follows an SSE stream until Ctrl-C: after a lost connection it reconnects a second later with
 * Last-Event-ID, so nothing is missed or handled twice. A refusal (4xx other than 429) ends it as
 * a usage error.
 */
export async function followStream(url: URL, options: FollowOptions): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  let lastId: string | undefined;
  try {
    while (!stop.signal.aborted) {
      try {
        const headers = {
          Accept: 'text/event-stream',
          Authorization: await options.authorization(),
          ...(lastId ? { 'Last-Event-ID': lastId } : {}),
        };
        const res = await fetch(url, { headers, signal: stop.signal });
        if (res.status >= 400 && res.status < 500 && res.status !== 429)
          throw new UsageError(`the realtime service refused the stream (${res.status}): ${await res.text()}`);
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        for await (const frame of frames(res.body)) {
          await options.onFrame(frame);
          if (frame.id) lastId = frame.id;
        }
      } catch (error) {
        if (stop.signal.aborted) break;
        if (error instanceof UsageError) throw error;
        process.stderr.write(`stream lost (${(error as Error).message}); reconnecting…\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}
