import express, { type Express } from 'express';
import type { RedisClient } from '@bellhop/queue';
import type { Config } from '@bellhop/config';
import type { Logger } from '@bellhop/logger';
import {
  errorHandler,
  healthRoutes,
  notFoundHandler,
  requestContext,
  urlGuard,
  type ReadinessCheck,
} from '@bellhop/http';
import { httpMetrics, metricsRoute } from '@bellhop/metrics';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import type { ConnectionHub } from './sse/connection-hub';
import type { HostChannels } from './sse/host-channels';
import { HOST_EVENTS_PATH, hostEventsRoute } from './sse/host-events.route';
import { AGENT_STREAM_PATH, agentStreamRoute, type AgentStreamDeps } from './pull/agent-stream.route';

export interface RealtimeDeps {
  config: Config;
  logger: Logger;
  checks: Record<string, ReadinessCheck>;
  /** Reads the per-host streams for Last-Event-ID replay. */
  redis: RedisClient;
  hub: ConnectionHub;
  /** The host channels this process subscribes to while it holds their streams. */
  channels: HostChannels;
  /** Pull subscriptions' streams (read from Postgres); without it the agent stream is not served. */
  pull?: AgentStreamDeps;
}

/** The realtime service: consumes what the others publish; reads Postgres only for pull streams (the record of their messages). */
export function createApp(deps: RealtimeDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // As the API: behind a proxy on this machine, the client's address (the failed-authentication limit counts it).
  app.set('trust proxy', 'loopback');
  app.use(requestContext(deps.logger));
  app.use(httpMetrics());
  app.use(urlGuard([HOST_EVENTS_PATH, AGENT_STREAM_PATH]));
  app.use(healthRoutes(deps.checks));
  app.use(metricsRoute());
  app.use(dashboardRoutes(deps.config.PUBLIC_API_URL));
  app.use(hostEventsRoute(deps.config, deps.redis, deps.hub, deps.channels));
  if (deps.pull) app.use(agentStreamRoute(deps.pull));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
