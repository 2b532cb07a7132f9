import express, { type Express } from 'express';
import type { Config } from '@bellhop/config';
import type { Logger } from '@bellhop/logger';
import { errorHandler, healthRoutes, notFoundHandler, requestContext, type ReadinessCheck } from '@bellhop/http';

export interface RealtimeDeps {
  config: Config;
  logger: Logger;
  checks: Record<string, ReadinessCheck>;
}

/** The realtime service: consumes what the others publish; never reaches into their tables. */
export function createApp(deps: RealtimeDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  app.use(healthRoutes(deps.checks));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
