import express, { type Express } from 'express';
import type { DomainContext } from '@bellhop/domain';
import { errorHandler, healthRoutes, notFoundHandler, requestContext, urlGuard } from '@bellhop/http';
import { pingRedis } from '@bellhop/queue';
import { httpMetrics } from '@bellhop/metrics';
import { workerMetrics } from './metrics/worker-metrics';

/** The worker's small HTTP surface: health, readiness and /metrics. */
export function createApp({ ctx }: { ctx: DomainContext }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(ctx.logger));
  app.use(httpMetrics());
  app.use(urlGuard([]));
  app.use(healthRoutes({ postgres: () => ctx.db.$queryRaw`SELECT 1`, redis: () => pingRedis(ctx.redis) }));
  app.use(workerMetrics(ctx));
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
