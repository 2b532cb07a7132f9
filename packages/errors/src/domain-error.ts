/**
 * What a business rule refused, and why. The domain, the workers and the CLI throw these; only
 * the HTTP layer (`@bellhop/http`) knows which status each kind becomes.
 */
export type DomainErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'unsupported';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** How to authenticate (`unauthenticated` only), e.g. `Basic realm="…"`. */
    readonly challenge?: string,
  ) {
    super(message);
  }
}

/** Input that breaks a rule; `details` name each field. */
export const invalid = (message: string, details?: unknown, code = 'validation_error') =>
  new DomainError('invalid', code, message, details);
export const unauthenticated = (message: string, challenge: string) =>
  new DomainError('unauthenticated', 'unauthorized', message, undefined, challenge);
export const forbidden = (message = 'Not allowed', code = 'forbidden') => new DomainError('forbidden', code, message);
/** Also what a tenant gets for another tenant's resource: indistinguishable from a missing one. */
export const notFound = (what = 'Resource', details?: unknown) =>
  new DomainError('not_found', 'not_found', `${what} not found`, details);
export const conflict = (message: string, code = 'conflict', details?: unknown) =>
  new DomainError('conflict', code, message, details);
/** Input in a form the rule cannot read at all (e.g. a channel webhook that is not JSON). */
export const unsupported = (message: string, code = 'unsupported_media_type') =>
  new DomainError('unsupported', code, message);
