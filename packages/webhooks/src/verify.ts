import { timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors';
import { decodeSecret } from './secret';
import { computeV1, legacySignature } from './sign';

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

/** Verifies a Standard Webhooks v1 delivery and returns the parsed JSON payload. */
export function verifyWebhook(
  rawBody: string | Buffer,
  headers: HeaderBag,
  secret: string,
  { toleranceSeconds = 300, now = Math.floor(Date.now() / 1000) }: VerifyOptions = {},
): unknown {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('Missing required headers (webhook-id, webhook-timestamp, webhook-signature)');
  }
  checkTimestamp(timestamp, toleranceSeconds, now);
  const expected = computeV1(id, timestamp, rawBody, decodeSecret(secret));
  // Try every v1 entry (rotation overlap) and skip other versions; no early exit on a match's position.
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const [version, sig] = entry.split(',', 2);
    if (version === 'v1' && sig !== undefined && safeEqual(sig, expected)) matched = true;
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
