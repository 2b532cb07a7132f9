import type { RequestHandler } from 'express';

/** Lets the host dashboard (served by the realtime service) call the API from the browser. */
export function dashboardCors(realtimeUrl: string): RequestHandler {
  const allowed = new URL(realtimeUrl).origin;
  return (req, res, next) => {
    if (req.get('origin') !== allowed) return next();
    res.setHeader('Access-Control-Allow-Origin', allowed);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After, RateLimit, RateLimit-Policy, X-Request-Id');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
