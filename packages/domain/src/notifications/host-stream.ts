import type { HostNotification, NotificationType } from '@bellhop/db';
import { redisKeys } from '@bellhop/queue';
import { publishBroadcast, publishToHost } from '@bellhop/realtime-bus';
import { mutedNotificationTypes } from '../bookings/host-settings';
import type { DomainContext } from '../context';
import { countNotifications } from './notification-counts';
import { presentNotification } from './notification.presenter';

const busOptions = (ctx: DomainContext) => ({
  prefix: redisKeys(ctx.config).prefix,
  historyLength: ctx.config.SSE_HISTORY,
});

/** Appends one event to the host's live stream; returns its stream id (the SSE event id). */
export function sendHostEvent(ctx: DomainContext, hostId: string, event: string, data: unknown): Promise<string> {
  return publishToHost(ctx.redis, busOptions(ctx), hostId, event, data);
}

/** Pushes the host's current counts (after anything that may change them). */
export async function publishCounts(ctx: DomainContext, hostId: string, muted?: NotificationType[]): Promise<void> {
  await sendHostEvent(ctx, hostId, 'counts', await countNotifications(ctx, hostId, muted));
}

/** Pushes a new notification and the counts it changes; nothing for a type the host muted (it is stored all the same). */
export async function publishNotification(ctx: DomainContext, notification: HostNotification): Promise<void> {
  const muted = await mutedNotificationTypes(ctx, notification.hostId);
  if (muted.includes(notification.type)) return;
  await sendHostEvent(ctx, notification.hostId, 'notification', presentNotification(notification));
  await publishCounts(ctx, notification.hostId, muted);
}

/**
 * For REST paths: Postgres is the record, so a Redis hiccup only costs the live push
 * (clients refetch on reconnect); it must not fail the call.
 */
export async function publishQuietly(ctx: DomainContext, hostId: string, publish: () => Promise<void>): Promise<void> {
  try {
    await publish();
  } catch (error) {
    ctx.logger.warn('live push to host failed; the notification is stored', {
      hostId,
      error: (error as Error).message,
    });
  }
}

export interface Announcement {
  title: string;
  message: string;
  level: 'info' | 'warning' | 'critical';
}

/** A `system_announcement` to every connected host on every realtime process. */
export async function announceToAllHosts(
  ctx: DomainContext,
  announcement: Announcement,
): Promise<{ id: string; sent_at: string }> {
  const sent_at = new Date().toISOString();
  const id = await publishBroadcast(ctx.redis, busOptions(ctx), 'system_announcement', { ...announcement, sent_at });
  return { id, sent_at };
}
