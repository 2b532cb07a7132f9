import type { RequestHandler } from 'express';
import { readTraceHeaders, type Tracing } from '@bellhop/tracing';

/**
 * Continues the caller's W3C trace (`traceparent`, `tracestate`) or starts one: an invalid header
 * is ignored, as the spec asks, never refused. The request's span is `req.trace`, the parent of
 * whatever the request records; it ends when the answer is sent, named after the matched route.
 */
export function requestTrace(tracing: Tracing): RequestHandler {
  return (req, res, next) => {
    const span = tracing.startSpan(req.method, {
      kind: 'server',
      parent: readTraceHeaders(req.get('traceparent'), req.get('tracestate')),
      attributes: { 'http.request.method': req.method, 'bellhop.request.id': req.id },
    });
    req.trace = span.context;
    if (tracing.exporting) {
      res.on('finish', () => {
        const route = req.route ? `${req.baseUrl}${String((req.route as { path: string }).path)}` : undefined;
        if (route) span.rename(`${req.method} ${route}`);
        span.setAttributes({ 'http.response.status_code': res.statusCode, ...(route ? { 'http.route': route } : {}) });
        span.end(res.statusCode >= 500 ? `HTTP ${res.statusCode}` : undefined);
      });
    }
    next();
  };
}
