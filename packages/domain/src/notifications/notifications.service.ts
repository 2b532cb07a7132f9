import type { HostNotification, NotificationPriority, NotificationType } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { notFound } from '@bellhop/errors';
import type { Actor } from '../access/agents';
import { hostsActedForBy } from '../access/host-scope';
import type { DomainContext } from '../context';
import { publishCounts, publishNotification, publishQuietly } from './host-stream';
import { visibleTo } from './notification-counts';

export interface NotificationInput {
  type: NotificationType;
  title: string;
  message: string;
  bookingId?: string | null;
  propertyId?: string | null;
  priority?: NotificationPriority;
  actionRequired?: boolean;
  actionUrl?: string | null;
  expiresAt?: Date | null;
}

/** Stores a notification for a host the actor acts for and pushes it live; 404 for any other host. */
export async function createNotification(
  ctx: DomainContext,
  actor: Actor,
  hostId: string,
  input: NotificationInput,
): Promise<HostNotification> {
  const host = await ctx.db.host.findFirst({ where: { id: hostId, ...hostsActedForBy(actor) }, select: { id: true } });
  if (!host) throw notFound('Host');
  const notification = await ctx.db.hostNotification.create({
    data: {
      id: newId('notification'),
      hostId,
      type: input.type,
      title: input.title,
      message: input.message,
      bookingId: input.bookingId ?? null,
      propertyId: input.propertyId ?? null,
      priority: input.priority ?? 'medium',
      actionRequired: input.actionRequired ?? false,
      actionUrl: input.actionUrl ?? null,
      expiresAt: input.expiresAt ?? null,
    },
  });
  await publishQuietly(ctx, hostId, () => publishNotification(ctx, notification));
  return notification;
}

export interface NotificationFilter {
  unreadOnly?: boolean;
  type?: NotificationType;
  priority?: NotificationPriority;
  since?: Date;
  limit: number;
  cursor?: string;
}

/** Newest first, expired ones hidden; the cursor is the last id of the previous page. */
export async function listNotifications(
  ctx: DomainContext,
  hostId: string,
  filter: NotificationFilter,
): Promise<{ items: HostNotification[]; nextCursor: string | null }> {
  const rows = await ctx.db.hostNotification.findMany({
    where: {
      ...visibleTo(hostId),
      ...(filter.unreadOnly ? { readAt: null } : {}),
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.priority ? { priority: filter.priority } : {}),
      ...(filter.since ? { createdAt: { gte: filter.since } } : {}),
      ...(filter.cursor ? { id: { lt: filter.cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: filter.limit + 1,
  });
  const items = rows.slice(0, filter.limit);
  return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].id : null };
}

/** Marks one of the host's notifications read; null if the host has no such (visible) notification. */
export async function markNotificationRead(
  ctx: DomainContext,
  hostId: string,
  id: string,
): Promise<HostNotification | null> {
  const found = await ctx.db.hostNotification.findFirst({ where: { ...visibleTo(hostId), id } });
  if (!found) return null;
  if (found.readAt) return found;
  const updated = await ctx.db.hostNotification.update({ where: { id }, data: { readAt: new Date() } });
  await publishQuietly(ctx, hostId, () => publishCounts(ctx, hostId));
  return updated;
}

/** Marks all (optionally one type of) the host's unread notifications read; returns how many. */
export async function markAllNotificationsRead(
  ctx: DomainContext,
  hostId: string,
  type?: NotificationType,
): Promise<number> {
  const { count } = await ctx.db.hostNotification.updateMany({
    where: { ...visibleTo(hostId), readAt: null, ...(type ? { type } : {}) },
    data: { readAt: new Date() },
  });
  if (count > 0) await publishQuietly(ctx, hostId, () => publishCounts(ctx, hostId));
  return count;
}

/** Deletes one of the host's notifications; false if the host has no such notification. */
export async function deleteNotification(ctx: DomainContext, hostId: string, id: string): Promise<boolean> {
  const { count } = await ctx.db.hostNotification.deleteMany({ where: { ...visibleTo(hostId), id } });
  if (count > 0) await publishQuietly(ctx, hostId, () => publishCounts(ctx, hostId));
  return count > 0;
}

/** Deletes expired notifications and read ones older than NOTIFICATION_RETENTION. */
export async function cleanupNotifications(
  ctx: DomainContext,
  now = new Date(),
): Promise<{ expired: number; retained: number }> {
  const expired = await ctx.db.hostNotification.deleteMany({ where: { expiresAt: { lte: now } } });
  const retained = await ctx.db.hostNotification.deleteMany({
    where: { readAt: { lt: new Date(now.getTime() - ctx.config.NOTIFICATION_RETENTION) } },
  });
  if (expired.count + retained.count > 0)
    ctx.logger.info('notifications cleaned up', { expired: expired.count, retained: retained.count });
  return { expired: expired.count, retained: retained.count };
}
