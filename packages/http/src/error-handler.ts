import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@bellhop/logger';
import { DomainError, isDependencyOutage, type DomainErrorKind } from '@bellhop/errors';
import { HttpError } from './http-error';

type BodyParserError = { type?: string; status?: number; message?: string };

// body-parser errors carry a `type`; map them to clear client errors.
function fromBodyParser(error: BodyParserError): HttpError | null {
  if (error.type === 'entity.verify.failed' && error instanceof HttpError) return error;
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'Request body is not valid JSON', undefined);
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', error.message ?? 'Unsupported encoding');
    case 'request.aborted':
      return new HttpError(400, 'request_aborted', 'Request aborted');
  }
  if (error.status && error.status >= 400 && error.status < 500)
    return new HttpError(error.status, 'bad_request', error.message ?? 'Bad request');
  return null;
}

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported: 415,
};

/** The one place where a domain refusal becomes an HTTP status. */
export function fromDomainError(error: DomainError): HttpError {
  return new HttpError(
    STATUS[error.kind],
    error.code,
    error.message,
    error.details,
    error.challenge ? { 'WWW-Authenticate': error.challenge } : {},
  );
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const mapped =
      error instanceof HttpError
        ? error
        : error instanceof DomainError
          ? fromDomainError(error)
          : (fromBodyParser(error as BodyParserError) ??
            (isDependencyOutage(error)
              ? new HttpError(503, 'service_unavailable', 'A dependency is unavailable, try again shortly', undefined, {
                  'Retry-After': '5',
                })
              : null));
    const log = (req as { log?: Logger }).log ?? logger;
    if (!mapped) {
      log.error('unhandled error', { error, method: req.method, path: req.path });
    } else if (mapped.status >= 500) {
      log.warn('request failed', {
        status: mapped.status,
        code: mapped.code,
        cause: error instanceof HttpError ? undefined : String((error as BodyParserError | null)?.message ?? error),
      });
    }
    const http = mapped ?? new HttpError(500, 'internal_error', 'Something went wrong on our side');
    if (res.headersSent) return;
    res
      .set(http.headers)
      .status(http.status)
      .json({
        success: false,
        error: {
          code: http.code,
          message: http.message,
          ...(http.details === undefined ? {} : { details: http.details }),
        },
      });
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};
