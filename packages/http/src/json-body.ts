import express, { type RequestHandler } from 'express';

/** JSON body parser that keeps the exact raw bytes (inbound signatures are over them). */
export function jsonBody(limit: string): RequestHandler {
  return express.json({
    limit,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf) => { (req as unknown as { rawBody: Buffer }).rawBody = buf; },
  });
}
