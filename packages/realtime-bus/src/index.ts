export { busKeys } from './keys';
export { SSE_EVENTS, type SseEventName, type HostMessage, type BroadcastMessage } from './messages';
export { publishToHost, publishBroadcast, type BusOptions } from './publish';
export { busPublish, busSubscribe, busUnsubscribe, onBusMessage, type BusClient } from './pubsub';
export { sseFrameSplitter } from './sse-frames';
