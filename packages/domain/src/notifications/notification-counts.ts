import type { NotificationType, Prisma } from '@bellhop/db';
import { mutedNotificationTypes } from '../bookings/host-settings';
import type { DomainContext } from '../context';

export interface NotificationCounts {
  unread: number;
  total: number;
  by_priority: { high: number; medium: number; low: number };
}

/** Notifications the host can still see: not expired. */
export const visibleTo = (hostId: string, now = new Date()): Prisma.HostNotificationWhereInput => ({
  hostId,
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
});

/** Unread and total counts, and unread by priority; expired ones and the host's muted types are not counted. */
export async function countNotifications(
  ctx: DomainContext,
  hostId: string,
  muted?: NotificationType[],
): Promise<NotificationCounts> {
  const mutedTypes = muted ?? (await mutedNotificationTypes(ctx, hostId));
  const where: Prisma.HostNotificationWhereInput = {
    ...visibleTo(hostId),
    ...(mutedTypes.length ? { type: { notIn: mutedTypes } } : {}),
  };
  const [total, unread] = await Promise.all([
    ctx.db.hostNotification.count({ where }),
    ctx.db.hostNotification.groupBy({ by: ['priority'], where: { ...where, readAt: null }, _count: { _all: true } }),
  ]);
  const by_priority = { high: 0, medium: 0, low: 0 };
  for (const group of unread) by_priority[group.priority] = group._count._all;
  return { unread: by_priority.high + by_priority.medium + by_priority.low, total, by_priority };
}
