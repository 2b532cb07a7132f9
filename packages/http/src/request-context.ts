import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '@bellhop/logger';
import type { TraceContext } from '@bellhop/tracing';

declare global {
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      rawBody?: Buffer;
      trace: TraceContext;
    }
  }
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Accepts or generates X-Request-Id, echoes it, and gives the request a child logger
 * (made on first use: most requests never log, and a winston child is not free).
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && SAFE_ID.test(incoming) ? incoming : `req_${randomUUID()}`;
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, get: () => (child ??= logger.child({ requestId: id })) });
    res.setHeader('X-Request-Id', id);
    if (!logger.isLevelEnabled('http')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log.http('request', {
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      });
    });
    next();
  };
}
