/** SSE event names a host stream carries. */
export const SSE_EVENTS = [
  'connected',
  'notification',
  'booking_update',
  'counts',
  'system_announcement',
  'heartbeat',
  'resync',
  'custom',
] as const;
export type SseEventName = (typeof SSE_EVENTS)[number];

/** What travels on pub/sub: the stream entry id doubles as the SSE `id:`. */
export interface HostMessage {
  hostId: string;
  id: string;
  event: string;
  data: unknown;
}
/** On a pull subscription's channel: messages up to `cursor` are committed (the stream reads them from Postgres). */
export interface PullSignal {
  subscriptionId: string;
  cursor: string;
}
export interface BroadcastMessage {
  id: string;
  event: string;
  data: unknown;
}
