export { busKeys } from './keys';
export { SSE_EVENTS, type SseEventName, type HostMessage, type BroadcastMessage, type PullSignal } from './messages';
export { publishToHost, publishBroadcast, publishPullSignal, type BusOptions } from './publish';
export { busPublish, busSubscribe, busUnsubscribe, onBusMessage, type BusClient } from './pubsub';
export { sseFrameSplitter } from './sse-frames';
