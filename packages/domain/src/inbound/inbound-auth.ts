import { createHmac } from 'node:crypto';
import { safeEqual } from '@bellhop/auth';
import type { InboundConnection } from '@bellhop/db';
import { unauthenticated } from '@bellhop/errors';

const rejected = (scheme: string, message: string) => unauthenticated(message, scheme);

/** Hex HMAC-SHA256 of the exact raw body, as Hospitable sends in `Signature`. */
export function hospitableSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Hostaway: HTTP Basic login and password, both compared in constant time. */
export function checkBasicAuth(connection: InboundConnection, secret: string, authorization: string | undefined): void {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const login = colon >= 0 ? decoded.slice(0, colon) : '';
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  // Both comparisons always run, so timing says nothing about which part was wrong.
  const ok = [safeEqual(login, connection.login ?? ''), safeEqual(password, secret)].every(Boolean);
  if (!match || !ok) throw rejected('Basic realm="bellhop-inbound"', 'Invalid or missing HTTP Basic credentials');
}

/** Hospitable: `Signature` header = hex HMAC of the raw bytes (re-serialised JSON will not match). */
export function checkSignature(rawBody: Buffer, secret: string, signature: string | undefined): void {
  if (!signature || !safeEqual(signature.trim().toLowerCase(), hospitableSignature(rawBody, secret))) {
    throw rejected('Signature', 'Missing or invalid Signature header');
  }
}
