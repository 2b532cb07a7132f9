export { registry, renderMetrics } from './registry';
export {
  eventsRecorded,
  deliveriesByOutcome,
  deliveryLatency,
  breakerTransitions,
  sseConnections,
  busMessagesReceived,
  inboundReceipts,
  httpDuration,
  rowsPurged,
} from './metrics';
export { queueDepth, observeQueues, type CountableQueue } from './queue-depth';
export { httpMetrics, metricsRoute } from './http-metrics';
