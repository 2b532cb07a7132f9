import { z } from 'zod';
import { durationListMs, durationMs } from './duration';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const DEV_SECRET = 'bellhop-dev-only-change-me';
/** `host:port` seeds, comma-separated, at least one. */
const clusterNodes = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((node) => node.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each node must be host:port'))
      .min(1, 'needs at least one host:port'),
  );

/**
 * Every environment variable Bellhop reads, with its default and a one-line description
 * (`.describe`). The README's env table is generated from this object.
 */
export const envShape = {
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development')
    .describe('Runtime mode; production refuses the built-in development secrets'),
  LOG_LEVEL: z
    .enum(['error', 'warn', 'info', 'http', 'debug'])
    .default('info')
    .describe('Minimum level written to the JSON logs'),
  DATABASE_URL: z
    .string()
    .url()
    .default('postgresql://postgres@127.0.0.1:5432/bellhop')
    .describe('PostgreSQL connection string (the system of record)'),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(20)
    .describe('PostgreSQL connections per process'),
  REDIS_URL: z
    .string()
    .url()
    .default('redis://127.0.0.1:6379')
    .describe('Redis connection string (queues, pub/sub, SSE history)'),
  REDIS_CLUSTER_NODES: clusterNodes
    .optional()
    .describe(
      'Redis Cluster seed nodes, comma-separated host:port (e.g. redis-1:6379,redis-2:6379); ' +
        'set, every connection is a Cluster client and REDIS_URL gives only credentials and TLS',
    ),
  QUEUE_PREFIX: z
    .string()
    .min(1)
    .default('{bellhop}')
    .describe(
      'Base name of every Redis key (queues, lanes, limits, streams); ' +
        'on a Redis Cluster braces are dropped and each queue, endpoint and counter gets a hash tag of its own',
    ),
  DELIVERY_QUEUE_SHARDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe(
      "Delivery queues, by a hash of the endpoint (deliveries, deliveries-1, …); more than 1 spreads delivery jobs over a Redis Cluster's nodes",
    ),
  BIND_HOST: z.string().default('127.0.0.1').describe('Interface the HTTP servers listen on (0.0.0.0 in containers)'),
  API_PORT: port.default(3000).describe('Port of the API service'),
  REALTIME_PORT: port.default(3001).describe('Port of the realtime (SSE) service'),
  WORKER_PORT: port.default(3002).describe('Port of the delivery worker health and metrics server'),
  PUBLIC_API_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:3000')
    .describe('Base URL the API is reached at (printed inbound URLs, docs)'),
  PUBLIC_REALTIME_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:3001')
    .describe('Base URL the realtime service is reached at'),
  ADMIN_TOKEN: z
    .string()
    .min(16)
    .default(DEV_SECRET)
    .describe('Bearer token for /api/v1/admin/* and Bull Board; also what an operator types at /admin/login'),
  JWT_SECRET: z.string().min(16).default(DEV_SECRET).describe('HS256 key for host tokens'),
  SECRETS_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
    .default('0'.repeat(64))
    .describe('AES-256-GCM key encrypting webhook secrets and credentials at rest (64 hex chars)'),
  SHUTDOWN_TIMEOUT: durationMs
    .default(10_000)
    .describe('How long graceful shutdown waits for in-flight work before exiting'),
  BODY_LIMIT: z.string().default('1mb').describe('Largest accepted request body'),
  WEBHOOK_ALLOW_HTTP: bool.default(false).describe('Allow plain-http webhook URLs (https is required otherwise)'),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool
    .default(false)
    .describe('Allow webhook targets on loopback/private addresses (local development and tests only)'),
  RETRY_SCHEDULE: durationListMs
    .default([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000])
    .describe('Default delays between delivery attempts, e.g. 5s,5m,30m,2h,5h,10h,10h'),
  RETRY_AFTER_CAP: durationMs.default(86_400_000).describe('Largest delay a receiver can ask for with Retry-After'),
  SECRET_ROTATION_OVERLAP: durationMs
    .default(86_400_000)
    .describe('How long a rotated-out signing secret keeps signing beside the new one'),
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(200)
    .describe(
      'Jobs each worker process runs at once, per queue (inbound: at most DATABASE_POOL_SIZE); concurrent deliveries share batched writes',
    ),
  ENDPOINT_MAX_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe(
      'Lanes per webhook endpoint (URL origin): most concurrent requests to it across all workers; deliveries beyond wait in Redis',
    ),
  SWEEP_INTERVAL: durationMs
    .default(15_000)
    .describe('How often the maintenance sweep re-enqueues due work from Postgres'),
  HOST_RESPONSE_WINDOW: durationMs
    .default(86_400_000)
    .describe('How long a pending booking waits for the host before it expires'),
  NOTIFICATION_RETENTION: durationMs.default(30 * 86_400_000).describe('How long read notifications are kept'),
  NOTIFICATION_CLEANUP_INTERVAL: durationMs
    .default(600_000)
    .describe('How often expired notifications, and read ones past NOTIFICATION_RETENTION, are deleted'),
  DATA_RETENTION: durationMs
    .refine((ms) => ms >= 86_400_000, 'must be at least 1d')
    .default(30 * 86_400_000)
    .describe(
      'How long events, deliveries, delivery attempts and inbound receipts are kept; ' +
        'older ones are purged (pending deliveries, their events and unprocessed receipts stay)',
    ),
  DATA_PURGE_INTERVAL: durationMs
    .refine((ms) => ms >= 1000, 'must be at least 1s')
    .default(600_000)
    .describe('How often the maintenance worker purges data older than DATA_RETENTION (in batches of 1,000 rows)'),
  SSE_HEARTBEAT_INTERVAL: z.coerce.number().positive().default(15).describe('Seconds between SSE heartbeats'),
  SSE_HISTORY: z.coerce.number().int().min(1).default(1000).describe('Events kept per host for Last-Event-ID replay'),
  SSE_MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .default(20_000)
    .describe('Most SSE connections one realtime process holds (host and pull streams together)'),
  SSE_MAX_CONNECTIONS_PER_HOST: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('Most SSE connections per host on one realtime process'),
  SSE_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1_048_576)
    .describe('A slow SSE client is dropped when this much output waits in its socket'),
  RATE_LIMIT_SCALE: z.coerce
    .number()
    .positive()
    .default(1)
    .describe(
      'Multiplies the default per-API-key rate limits, not a limit set on a key (0.5 halves them; tests use small values)',
    ),
  AUTH_FAILURE_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(30)
    .describe('Failed authentications per client IP per minute; past it the IP gets 429 without a credential lookup'),
  PORTAL_LINK_TTL: durationMs
    .default(600_000)
    .describe('How long a portal sign-in link (POST /api/v1/external/portal-sessions) can be used, once'),
  PORTAL_SESSION_TTL: durationMs.default(3_600_000).describe('How long an agent stays signed in to the portal'),
  ADMIN_SESSION_TTL: durationMs.default(28_800_000).describe('How long an operator stays signed in after /admin/login'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .union([z.literal(''), z.string().url()])
    .optional()
    .transform((url) => url || undefined)
    .describe(
      'OpenTelemetry collector base URL (OTLP/HTTP, spans go to {url}/v1/traces); unset: no spans recorded, trace context still travels',
    ),
  BELLHOP_API_KEY: z
    .string()
    .optional()
    .describe('CLI only: the agent API key `listen --pull` streams and acknowledges with when --key is not given'),
  FAULT_EXIT_AFTER_EVENT_COMMIT: bool
    .default(false)
    .describe('Fault drills only: the API process exits right after committing an event, before enqueueing it'),
};

export const envSchema = z.object(envShape).superRefine((env, ctx) => {
  if (env.NODE_ENV !== 'production') return;
  for (const key of ['ADMIN_TOKEN', 'JWT_SECRET'] as const) {
    if (env[key] === DEV_SECRET) ctx.addIssue({ code: 'custom', path: [key], message: 'must be set in production' });
  }
  if (/^0+$/.test(env.SECRETS_KEY))
    ctx.addIssue({ code: 'custom', path: ['SECRETS_KEY'], message: 'must be set in production' });
});

export type Config = z.output<typeof envSchema>;
