/** An error that only makes sense over HTTP (401 with its challenge, 413, 415, 429, 503); domain refusals are `DomainError`s. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'Missing or invalid credentials') =>
  new HttpError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
export const unavailable = (message = 'A dependency is unavailable, try again shortly', retryAfterSeconds = 5) =>
  new HttpError(503, 'service_unavailable', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
