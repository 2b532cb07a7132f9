import { HttpError } from '@bellhop/http';

/** A stream refused for now: the client retries in 5 s (or connects to another process). */
const busy = (status: number, code: string, message: string) =>
  new HttpError(status, code, message, undefined, { 'Retry-After': '5' });

/** The process holds SSE_MAX_CONNECTIONS streams (host and pull together). */
export const processFull = () =>
  busy(503, 'too_many_connections', 'This realtime process is full; retry or connect to another');

/** The stream's channel could not be subscribed (Redis is out). */
export const liveUnavailable = () =>
  busy(503, 'realtime_unavailable', 'Live updates are unavailable right now; retry shortly');

export const hostStreamsFull = (maxPerHost: number) =>
  busy(429, 'too_many_host_connections', `At most ${maxPerHost} streams per host`);
