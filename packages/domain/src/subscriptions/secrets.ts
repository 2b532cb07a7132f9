import type { WebhookSubscription } from '@bellhop/db';
import { TtlCache } from '../cache/ttl-cache';
import type { DomainContext } from '../context';

/** Every attempt signs; decrypting the same ciphertext each time is wasted work. A rotation changes the ciphertext. */
const plaintexts = new TtlCache<string, string>(60_000);

function decrypt(ctx: Pick<DomainContext, 'secrets'>, ciphertext: string): string {
  let plain = plaintexts.get(ciphertext);
  if (plain === undefined) plaintexts.set(ciphertext, (plain = ctx.secrets.decrypt(ciphertext)));
  return plain;
}

/** A rotated-out secret that keeps signing until it expires (stored in previous_secrets). */
export interface PreviousSecret { secret_encrypted: string; expires_at: string }

/** Plain signing secrets for a delivery: the current one first, then unexpired previous ones. */
export function subscriptionSigningSecrets(ctx: Pick<DomainContext, 'secrets'>, sub: Pick<WebhookSubscription, 'secretEncrypted' | 'previousSecrets'>, now = new Date()): string[] {
  const previous = (Array.isArray(sub.previousSecrets) ? sub.previousSecrets : []) as unknown as PreviousSecret[];
  const live = previous.filter((p) => new Date(p.expires_at) > now).map((p) => decrypt(ctx, p.secret_encrypted));
  return [decrypt(ctx, sub.secretEncrypted), ...live];
}

/** The subscription's own api_key, sent as `Authorization: Bearer …`, or null. */
export function subscriptionBearer(ctx: Pick<DomainContext, 'secrets'>, sub: Pick<WebhookSubscription, 'apiKeyEncrypted'>): string | null {
  return sub.apiKeyEncrypted ? decrypt(ctx, sub.apiKeyEncrypted) : null;
}
