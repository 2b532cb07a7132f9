import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { HttpError } from './http-error';
import { depthRefusal } from './json-depth';
import { stringRefusal } from './json-strings';

/**
 * JSON body parser that keeps the exact raw bytes (inbound signatures are over them) and
 * refuses what no route can store: too deep (before parsing), a NUL, a lone surrogate.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({
    limit,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf) => {
      // body-parser would silently turn invalid bytes into U+FFFD; refuse them instead.
      if (!isUtf8(buf)) throw new HttpError(400, 'invalid_utf8', 'Request body is not valid UTF-8');
      const tooDeep = depthRefusal(buf);
      if (tooDeep) throw tooDeep;
      (req as unknown as { rawBody: Buffer }).rawBody = buf;
    },
  });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => next(error ?? (req.rawBody && stringRefusal(req.body, req.rawBody))));
}

const hasBody = (req: Parameters<RequestHandler>[0]) =>
  Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;

/** A JSON API: a request body in any other media type is refused rather than ignored. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (!hasBody(req) || req.is(['application/json', 'application/*+json'])) return next();
  next(
    new HttpError(
      415,
      'unsupported_media_type',
      `Request bodies must be application/json (got ${req.get('content-type') ?? 'none'})`,
    ),
  );
};
