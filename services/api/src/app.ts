import express, { type Express } from 'express';
import type { DomainContext } from '@bellhop/domain';
import { errorHandler, healthRoutes, jsonBody, notFoundHandler, requestContext } from '@bellhop/http';
import { pingRedis } from '@bellhop/queue';
import { whoAmIRoutes } from './routes/whoami.routes';
import { apiRoutes } from './openapi';

export interface ApiDeps { ctx: DomainContext }

/** Builds the API; main.ts only connects, listens and handles signals. */
export function createApp({ ctx }: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContext(ctx.logger));
  app.use(healthRoutes({ postgres: () => ctx.db.$queryRaw`SELECT 1`, redis: () => pingRedis(ctx.redis) }));
  app.use(jsonBody(ctx.config.BODY_LIMIT));
  app.get('/openapi.json', (_req, res) => {
    res.json(apiRoutes.toOpenApi({ title: 'Bellhop API', version: '1.0.0', description: 'Signed webhooks and live host notifications for short-term rentals' }, ctx.config.PUBLIC_API_URL));
  });
  app.use(whoAmIRoutes(ctx));
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
