import express, { type Express } from 'express';
import type { DomainContext } from '@bellhop/domain';
import {
  errorHandler,
  healthRoutes,
  jsonBody,
  notFoundHandler,
  requestContext,
  requestTrace,
  requireJsonBody,
  urlGuard,
} from '@bellhop/http';
import { pingRedis } from '@bellhop/queue';
import { whoAmIRoutes } from './routes/whoami.routes';
import { grantRoutes } from './routes/grants.routes';
import { webhookSubscriptionRoutes } from './routes/webhook-subscriptions.routes';
import { eventTypeRoutes } from './routes/event-types.routes';
import { eventRoutes } from './routes/events.routes';
import { webhookTestRoutes } from './routes/webhook-test.routes';
import { deliveryRoutes } from './routes/deliveries.routes';
import { pullMessageRoutes } from './routes/pull-messages.routes';
import { bookingRoutes } from './routes/bookings.routes';
import { hostSettingsRoutes } from './routes/host-settings.routes';
import { inboundRoutes } from './routes/inbound.routes';
import { inboundReceiptRoutes } from './routes/inbound-receipts.routes';
import { notificationRoutes } from './routes/notifications.routes';
import { announcementRoutes } from './routes/announcements.routes';
import { apiKeyRoutes } from './routes/api-keys.routes';
import { hostEventRoutes } from './routes/host-events.routes';
import { apiRoutes } from './openapi';
import { httpMetrics, metricsRoute, observeQueues } from '@bellhop/metrics';
import { allQueues } from './ops/all-queues';
import { bullBoard } from './ops/bull-board';
import { dashboardCors } from './ops/cors';
import { docsRoutes } from './ops/docs';
import { rateLimits } from './ops/rate-limits';
import { authenticate, failedAuthLimit } from './auth/authenticate';
import { sessionAuth } from './sessions/session-auth';
import { portalRoutes } from './portal/portal.routes';
import { portalSessionRoutes } from './routes/portal-sessions.routes';
import { adminLoginRoutes } from './ops/admin-login';

export interface ApiDeps {
  ctx: DomainContext;
}

/** Builds the API; main.ts only connects, listens and handles signals. */
export function createApp({ ctx }: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // API answers are not cached; hashing every body is wasted work
  app.set('trust proxy', 'loopback');
  app.use(requestContext(ctx.logger));
  app.use(httpMetrics());
  app.use(sessionAuth(ctx)); // the portal's /portal/api/… calls continue as /api/…, so before anything reads the path
  app.use(urlGuard(apiRoutes.routes.map((r) => r.path))); // before anything reads a parameter
  app.use(healthRoutes({ postgres: () => ctx.db.$queryRaw`SELECT 1`, redis: () => pingRedis(ctx.redis) }));
  const queues = allQueues(ctx);
  observeQueues(() => queues);
  app.use(metricsRoute());
  app.use(requestTrace(ctx.tracing)); // after health and metrics: probes and scrapes are not traced
  app.use(dashboardCors(ctx.config.PUBLIC_REALTIME_URL));
  const failures = failedAuthLimit(ctx);
  app.use(authenticate(ctx, failures)); // before the limits, so they count real callers
  app.use(rateLimits(ctx));
  app.use(jsonBody(ctx.config.BODY_LIMIT));
  app.use('/api', requireJsonBody);
  app.use(eventRoutes(ctx)); // first: the ingest hot path, so its requests skip the other routers' matching
  app.get('/openapi.json', (_req, res) => {
    res.json(
      apiRoutes.toOpenApi(
        {
          title: 'Bellhop API',
          version: '1.0.0',
          description: 'Signed webhooks and live host notifications for short-term rentals',
        },
        ctx.config.PUBLIC_API_URL,
      ),
    );
  });
  app.use(docsRoutes());
  app.use(adminLoginRoutes(ctx, failures));
  app.use(bullBoard(queues));
  app.use(portalRoutes(ctx, failures));
  app.use(portalSessionRoutes(ctx));
  app.use(whoAmIRoutes(ctx));
  app.use(grantRoutes(ctx));
  app.use(webhookSubscriptionRoutes(ctx));
  app.use(eventTypeRoutes(ctx));
  app.use(webhookTestRoutes(ctx));
  app.use(deliveryRoutes(ctx));
  app.use(pullMessageRoutes(ctx));
  app.use(bookingRoutes(ctx));
  app.use(hostSettingsRoutes(ctx));
  app.use(inboundRoutes(ctx));
  app.use(inboundReceiptRoutes(ctx));
  app.use(notificationRoutes(ctx));
  app.use(announcementRoutes(ctx));
  app.use(apiKeyRoutes(ctx));
  app.use(hostEventRoutes(ctx));
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
