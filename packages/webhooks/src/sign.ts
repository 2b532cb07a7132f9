import { createHmac, sign, type KeyObject } from 'node:crypto';
import { decodeSecret } from './secret';

export interface SignInput {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: string | Buffer;
  /** HMAC secrets (v1): current first, older ones while a rotation overlaps. None for v1a only. */
  secrets: string[];
  /** Ed25519 private keys (v1a, see `signingKey`): current first, older ones while a rotation overlaps. */
  signingKeys?: KeyObject[];
}

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'X-Webhook-Event': string;
  /** Only with an HMAC secret: the legacy header is an HMAC too. */
  'X-Webhook-Signature'?: string;
}

/** base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" — the Standard Webhooks v1 signed content. */
export function computeV1(id: string, timestamp: number | string, body: string | Buffer, key: Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

/** base64 Ed25519 signature of "{id}.{timestamp}.{body}" — the Standard Webhooks v1a signed content. */
export function computeV1a(id: string, timestamp: number | string, body: string | Buffer, key: KeyObject): string {
  return sign(null, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(body)]), key).toString('base64');
}

/** The `webhook-signature` header value: one `v1,<sig>` per secret, then one `v1a,<sig>` per signing key, space-separated. */
export function signPayload({ id, timestamp, body, secrets, signingKeys = [] }: SignInput): string {
  if (secrets.length + signingKeys.length === 0)
    throw new Error('signPayload needs at least one secret or signing key');
  return [
    ...secrets.map((s) => `v1,${computeV1(id, timestamp, body, decodeSecret(s))}`),
    ...signingKeys.map((key) => `v1a,${computeV1a(id, timestamp, body, key)}`),
  ].join(' ');
}

/** `sha256=<hex HMAC of raw body>` for receivers of the older plan. */
export function legacySignature(body: string | Buffer, secret: string): string {
  // Keyed with the decoded secret bytes (not the "whsec_…" string) so both schemes share one key.
  return 'sha256=' + createHmac('sha256', decodeSecret(secret)).update(body).digest('hex');
}

/** All outbound signing headers; the legacy header uses the first (current) secret, when there is one. */
export function buildSignatureHeaders(input: SignInput & { eventType: string }): SignatureHeaders {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signPayload(input),
    'X-Webhook-Event': input.eventType,
    ...(input.secrets.length > 0 ? { 'X-Webhook-Signature': legacySignature(input.body, input.secrets[0]) } : {}),
  };
}
