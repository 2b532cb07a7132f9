import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { HttpError } from './http-error';

/** JSON body parser that keeps the exact raw bytes (inbound signatures are over them). */
export function jsonBody(limit: string): RequestHandler {
  return express.json({
    limit,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf) => {
      // body-parser would silently turn invalid bytes into U+FFFD; refuse them instead.
      if (!isUtf8(buf)) throw new HttpError(400, 'invalid_utf8', 'Request body is not valid UTF-8');
      (req as unknown as { rawBody: Buffer }).rawBody = buf;
    },
  });
}

const hasBody = (req: Parameters<RequestHandler>[0]) => Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;

/** A JSON API: a request body in any other media type is refused rather than ignored. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (!hasBody(req) || req.is(['application/json', 'application/*+json'])) return next();
  next(new HttpError(415, 'unsupported_media_type', `Request bodies must be application/json (got ${req.get('content-type') ?? 'none'})`));
};
