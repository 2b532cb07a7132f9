import type { KeyObject } from 'node:crypto';
import type { SignatureScheme, WebhookSubscription } from '@bellhop/db';
import { generateSigningKeyPair, signingKey } from '@bellhop/webhooks';
import { TtlCache } from '../cache/ttl-cache';
import type { DomainContext } from '../context';

/** Every attempt signs; decrypting the same ciphertext each time is wasted work. A rotation changes the ciphertext. */
const plaintexts = new TtlCache<string, string>(60_000);

function decrypt(ctx: Pick<DomainContext, 'secrets'>, ciphertext: string): string {
  let plain = plaintexts.get(ciphertext);
  if (plain === undefined) plaintexts.set(ciphertext, (plain = ctx.secrets.decrypt(ciphertext)));
  return plain;
}

// Type aliases rather than interfaces, so that they are JSON values Prisma can store as they are.
/** A rotated-out secret that keeps signing until it expires (stored in previous_secrets). */
export type PreviousSecret = { secret_encrypted: string; expires_at: string };
/** A rotated-out v1a signing key that keeps signing until it expires (stored in previous_signing_keys). */
export type PreviousSigningKey = { key_encrypted: string; public_key: string; expires_at: string };

export const signsV1 = (scheme: SignatureScheme) => scheme !== 'v1a';
export const signsV1a = (scheme: SignatureScheme) => scheme !== 'v1';

const unexpired = <T extends { expires_at: string }>(stored: unknown, now: Date): T[] =>
  ((Array.isArray(stored) ? stored : []) as T[]).filter((p) => new Date(p.expires_at) > now);

/** Plain HMAC secrets for a delivery (none when it signs with v1a only): the current one first, then unexpired previous ones. */
export function subscriptionSigningSecrets(
  ctx: Pick<DomainContext, 'secrets'>,
  sub: Pick<WebhookSubscription, 'secretEncrypted' | 'previousSecrets' | 'signatureScheme'>,
  now = new Date(),
): string[] {
  if (!signsV1(sub.signatureScheme)) return [];
  return [
    decrypt(ctx, sub.secretEncrypted),
    ...unexpired<PreviousSecret>(sub.previousSecrets, now).map((p) => decrypt(ctx, p.secret_encrypted)),
  ];
}

/** Every v1a attempt signs; reading the same key each time is wasted work (a rotation changes the ciphertext). */
const keyObjects = new TtlCache<string, KeyObject>(60_000);
function keyObject(ctx: Pick<DomainContext, 'secrets'>, ciphertext: string): KeyObject {
  let key = keyObjects.get(ciphertext);
  if (!key) keyObjects.set(ciphertext, (key = signingKey(ctx.secrets.decrypt(ciphertext))));
  return key;
}

/** Ed25519 keys for a delivery (none unless it signs with v1a): the current one first, then unexpired previous ones. */
export function subscriptionSigningKeys(
  ctx: Pick<DomainContext, 'secrets'>,
  sub: Pick<WebhookSubscription, 'signingKeyEncrypted' | 'previousSigningKeys' | 'signatureScheme'>,
  now = new Date(),
): KeyObject[] {
  if (!signsV1a(sub.signatureScheme) || !sub.signingKeyEncrypted) return [];
  return [
    keyObject(ctx, sub.signingKeyEncrypted),
    ...unexpired<PreviousSigningKey>(sub.previousSigningKeys, now).map((p) => keyObject(ctx, p.key_encrypted)),
  ];
}

/** Columns for a new v1a key pair; the private key is stored encrypted, the public key as it is. */
export function newSigningKeyColumns(
  ctx: Pick<DomainContext, 'secrets'>,
): Pick<WebhookSubscription, 'signingKeyEncrypted' | 'signingPublicKey'> {
  const pair = generateSigningKeyPair();
  return { signingKeyEncrypted: ctx.secrets.encrypt(pair.secretKey), signingPublicKey: pair.publicKey };
}

/** The public keys a receiver may verify v1a signatures with: the current one, and rotated-out ones while they still sign. */
export function subscriptionPublicKeys(
  sub: Pick<WebhookSubscription, 'signingPublicKey' | 'previousSigningKeys'>,
  now = new Date(),
) {
  return {
    current: sub.signingPublicKey,
    previous: unexpired<PreviousSigningKey>(sub.previousSigningKeys, now).map((p) => ({
      publicKey: p.public_key,
      expiresAt: new Date(p.expires_at),
    })),
  };
}

/** The subscription's own api_key, sent as `Authorization: Bearer …`, or null. */
export function subscriptionBearer(
  ctx: Pick<DomainContext, 'secrets'>,
  sub: Pick<WebhookSubscription, 'apiKeyEncrypted'>,
): string | null {
  return sub.apiKeyEncrypted ? decrypt(ctx, sub.apiKeyEncrypted) : null;
}
