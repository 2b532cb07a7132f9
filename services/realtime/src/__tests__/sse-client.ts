import { EventSource } from 'eventsource';
import { eventually } from '@bellhop/testing';

export const SSE_EVENT_NAMES = [
  'connected',
  'notification',
  'booking_update',
  'counts',
  'system_announcement',
  'heartbeat',
  'resync',
  'custom',
  'message',
];

export interface Received {
  type: string;
  id: string;
  data: any;
}

/** An EventSource that records every named event; sends the token as a header unless it is in the URL. */
export function openStream(url: string, auth?: string, headers: Record<string, string> = {}) {
  const events: Received[] = [];
  const source = new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, { ...init, headers: { ...init.headers, ...headers, ...(auth ? { Authorization: auth } : {}) } }),
  });
  for (const name of SSE_EVENT_NAMES) {
    source.addEventListener(name, (e) => events.push({ type: name, id: e.lastEventId, data: JSON.parse(e.data) }));
  }
  const of = (type: string) => events.filter((e) => e.type === type);
  return {
    source,
    events,
    of,
    /** Waits until `count` events of `type` arrived. */
    // Generous: on two loaded cores (the whole suite at once) a stream can take seconds to open.
    waitFor: (type: string, count = 1, ms = 15_000) =>
      eventually(() => {
        if (of(type).length < count)
          throw new Error(`got ${of(type).length} ${type} of ${count}: ${JSON.stringify(events.map((e) => e.type))}`);
        return of(type);
      }, ms),
    close: () => source.close(),
  };
}
