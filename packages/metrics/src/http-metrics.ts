import type { RequestHandler, Router } from 'express';
import express from 'express';
import { httpDuration } from './metrics';
import { renderMetrics } from './registry';

/** Times every request, labelled by the matched route pattern (never the raw URL, which holds ids). */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const stop = httpDuration.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/** GET /metrics in the Prometheus text format. */
export function metricsRoute(): Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await renderMetrics();
    res.type(contentType).send(body);
  });
  return router;
}
