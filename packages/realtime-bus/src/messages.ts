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
export interface BroadcastMessage {
  id: string;
  event: string;
  data: unknown;
}
