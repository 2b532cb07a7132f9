import type { WebhookSubscription } from '@bellhop/db';
import { conflict } from '@bellhop/errors';

/** A subscription Bellhop POSTs to: it has a URL. A pull subscription has none; its agent reads its messages. */
export type PushSubscription = WebhookSubscription & { delivery: 'push'; webhookUrl: string };

export function isPush<T extends Pick<WebhookSubscription, 'delivery' | 'webhookUrl'>>(
  sub: T,
): sub is T & { delivery: 'push'; webhookUrl: string } {
  return sub.delivery === 'push' && sub.webhookUrl !== null;
}

/** The URL of a push subscription; a pull subscription has nothing to send or resend (409). */
export function pushUrlOf(sub: Pick<WebhookSubscription, 'delivery' | 'webhookUrl'>): string {
  if (!isPush(sub))
    throw conflict(
      'This subscription delivers by pull: its messages are read with GET …/messages, never sent',
      'pull_subscription',
    );
  return sub.webhookUrl;
}
