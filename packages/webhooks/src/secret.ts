import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A fresh signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** The raw key bytes of a `whsec_` secret (prefix optional, as other Standard Webhooks libraries allow). */
export function decodeSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new Error('Webhook secret is empty');
  }
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  // Buffer.from(…, 'base64') silently skips bad characters, so validate the alphabet first.
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new Error('Webhook secret is malformed: expected "whsec_" followed by base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('Webhook secret is malformed: decodes to zero bytes');
  return key;
}
