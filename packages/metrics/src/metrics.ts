import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry';

export const eventsRecorded = new Counter({
  name: 'bellhop_events_recorded_total',
  help: 'Events recorded, by event type',
  labelNames: ['type'] as const,
  registers: [registry],
});

export const deliveriesByOutcome = new Counter({
  name: 'bellhop_deliveries_total',
  help: 'Webhook delivery attempts, by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const breakerTransitions = new Counter({
  name: 'bellhop_circuit_breaker_transitions_total',
  help: 'Circuit breaker transitions of subscriptions: opened (endpoint unhealthy) or closed (recovered)',
  labelNames: ['transition'] as const,
  registers: [registry],
});

export const deliveryLatency = new Histogram({
  name: 'bellhop_delivery_duration_seconds',
  help: 'Duration of one webhook delivery attempt (request to response)',
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const sseConnections = new Gauge({
  name: 'bellhop_sse_connections',
  help: 'Open SSE connections on this realtime process',
  registers: [registry],
});

export const busMessagesReceived = new Counter({
  name: 'bellhop_realtime_bus_messages_total',
  help: 'Live messages this realtime process received from Redis pub/sub, by kind (host or broadcast)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const inboundReceipts = new Counter({
  name: 'bellhop_inbound_receipts_total',
  help: 'Inbound channel-manager webhooks, by provider and outcome',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'bellhop_http_request_duration_seconds',
  help: 'HTTP request duration, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const rowsPurged = new Counter({
  name: 'bellhop_rows_purged_total',
  help: 'Rows removed by the retention purge (older than DATA_RETENTION), by table',
  labelNames: ['table'] as const,
  registers: [registry],
});
