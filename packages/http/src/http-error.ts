/** The one error type that carries an HTTP status; mapped to the JSON envelope in one place. */
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

export const badRequest = (message: string, details?: unknown, code = 'validation_error') => new HttpError(400, code, message, details);
export const unauthorized = (message = 'Missing or invalid credentials') => new HttpError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (message = 'Not allowed') => new HttpError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, code = 'conflict', details?: unknown) => new HttpError(409, code, message, details);
export const unavailable = (message = 'A dependency is unavailable, try again shortly', retryAfterSeconds = 5) =>
  new HttpError(503, 'service_unavailable', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
