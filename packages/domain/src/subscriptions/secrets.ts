import type { WebhookSubscription } from '@bellhop/db';
import type { DomainContext } from '../context';

/** A rotated-out secret that keeps signing until it expires (stored in previous_secrets). */
export interface PreviousSecret { secret_encrypted: string; expires_at: string }

/** Plain signing secrets for a delivery: the current one first, then unexpired previous ones. */
export function subscriptionSigningSecrets(ctx: Pick<DomainContext, 'secrets'>, sub: Pick<WebhookSubscription, 'secretEncrypted' | 'previousSecrets'>, now = new Date()): string[] {
  const previous = (Array.isArray(sub.previousSecrets) ? sub.previousSecrets : []) as unknown as PreviousSecret[];
  const live = previous.filter((p) => new Date(p.expires_at) > now).map((p) => ctx.secrets.decrypt(p.secret_encrypted));
  return [ctx.secrets.decrypt(sub.secretEncrypted), ...live];
}

/** The subscription's own api_key, sent as `Authorization: Bearer …`, or null. */
export function subscriptionBearer(ctx: Pick<DomainContext, 'secrets'>, sub: Pick<WebhookSubscription, 'apiKeyEncrypted'>): string | null {
  return sub.apiKeyEncrypted ? ctx.secrets.decrypt(sub.apiKeyEncrypted) : null;
}
