import { createHmac } from 'node:crypto';
import { decodeSecret } from './secret';

export interface SignInput {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: string | Buffer;
  /** Current secret first; older ones while a rotation overlaps. */
  secrets: string[];
}

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'X-Webhook-Event': string;
  'X-Webhook-Signature': string;
}

/** base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" — the Standard Webhooks v1 signed content. */
export function computeV1(id: string, timestamp: number | string, body: string | Buffer, key: Buffer): string {
  return createHmac('sha256', key)
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest('base64');
}

/** The `webhook-signature` header value: one `v1,<sig>` per secret, space-separated. */
export function signPayload({ id, timestamp, body, secrets }: SignInput): string {
  if (secrets.length === 0) throw new Error('signPayload needs at least one secret');
  return secrets.map((s) => `v1,${computeV1(id, timestamp, body, decodeSecret(s))}`).join(' ');
}

/** `sha256=<hex HMAC of raw body>` for receivers of the older plan. */
export function legacySignature(body: string | Buffer, secret: string): string {
  // Keyed with the decoded secret bytes (not the "whsec_…" string) so both schemes share one key.
  return 'sha256=' + createHmac('sha256', decodeSecret(secret)).update(body).digest('hex');
}

/** All outbound signing headers; the legacy header uses the first (current) secret. */
export function buildSignatureHeaders(input: SignInput & { eventType: string }): SignatureHeaders {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signPayload(input),
    'X-Webhook-Event': input.eventType,
    'X-Webhook-Signature': legacySignature(input.body, input.secrets[0]),
  };
}
