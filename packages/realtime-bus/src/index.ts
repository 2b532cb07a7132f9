export { busKeys } from './keys';
export { SSE_EVENTS, type SseEventName, type HostMessage, type BroadcastMessage } from './messages';
export { publishToHost, publishBroadcast, type BusOptions } from './publish';
export { sseFrameSplitter } from './sse-frames';
