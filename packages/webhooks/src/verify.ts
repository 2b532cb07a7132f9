import { timingSafeEqual, verify } from 'node:crypto';
import { WebhookVerificationError } from './errors';
import { decodeSecret } from './secret';
import { computeV1, legacySignature } from './sign';
import { verifyingKey } from './signing-key';

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Allowed clock skew both ways, in seconds. */
  toleranceSeconds?: number;
  /** Override "now" (unix seconds) for tests. */
  now?: number;
}

/** Constant-time string compare; unequal lengths fail fast (length is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(headers: HeaderBag, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

function checkTimestamp(raw: string, tolerance: number, now: number): void {
  if (!/^\d+$/.test(raw)) throw new WebhookVerificationError('Invalid webhook-timestamp header');
  const ts = Number(raw);
  if (ts < now - tolerance) throw new WebhookVerificationError('Message timestamp too old');
  if (ts > now + tolerance) throw new WebhookVerificationError('Message timestamp too new');
}

/** What verifies a delivery: the `whsec_` secret (v1, HMAC), or `whpk_` public keys (v1a, Ed25519), or both. */
export type VerifyKeys = string | { secret?: string; publicKeys?: string[] };

/** Whether one `v1a,<sig>` entry is an Ed25519 signature of the signed content by one of the keys. */
function v1aMatches(signed: Buffer, signature: string, publicKeys: string[]): boolean {
  const bytes = Buffer.from(signature, 'base64');
  return bytes.length === 64 && publicKeys.some((key) => verify(null, signed, verifyingKey(key), bytes));
}

/**
 * Verifies a Standard Webhooks delivery and returns the parsed JSON payload: with a secret, any
 * `v1` entry must match; with public keys, any `v1a` entry. Every entry is tried (rotation
 * overlap); other versions are skipped.
 */
export function verifyWebhook(
  rawBody: string | Buffer,
  headers: HeaderBag,
  keys: VerifyKeys,
  { toleranceSeconds = 300, now = Math.floor(Date.now() / 1000) }: VerifyOptions = {},
): unknown {
  const { secret, publicKeys = [] } = typeof keys === 'string' ? { secret: keys } : keys;
  if (!secret && publicKeys.length === 0) throw new Error('verifyWebhook needs a secret or public keys');
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('Missing required headers (webhook-id, webhook-timestamp, webhook-signature)');
  }
  checkTimestamp(timestamp, toleranceSeconds, now);
  const expected = secret ? computeV1(id, timestamp, rawBody, decodeSecret(secret)) : undefined;
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(rawBody)]);
  // No early exit on a v1 match's position.
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const [version, sig] = entry.split(',', 2);
    if (sig === undefined) continue;
    if (version === 'v1' && expected && safeEqual(sig, expected)) matched = true;
    if (version === 'v1a' && publicKeys.length > 0 && v1aMatches(signed, sig, publicKeys)) matched = true;
  }
  if (!matched) throw new WebhookVerificationError('No matching signature found');
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('Signature valid but body is not JSON');
  }
}

/** Checks an `X-Webhook-Signature: sha256=<hex>` header in constant time. */
export function verifyLegacySignature(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  return safeEqual(header.trim().toLowerCase(), legacySignature(rawBody, secret));
}
