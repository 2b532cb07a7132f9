import { sseFrameSplitter } from '@bellhop/realtime-bus';

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
