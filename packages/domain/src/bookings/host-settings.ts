import type { NotificationType } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import { z } from 'zod';
import type { DomainContext } from '../context';

/** The kinds of host notification, in one place (stored as the `NotificationType` enum). */
export const NOTIFICATION_TYPES = [
  'new_booking',
  'payment_received',
  'guest_message',
  'urgent',
  'booking_update',
  'system',
] as const;

const preferenceFields = {
  email: z.boolean(),
  sms: z.boolean(),
  muted_types: z.array(z.enum(NOTIFICATION_TYPES)).max(NOTIFICATION_TYPES.length),
};

export const notificationPreferencesSchema = z
  .object({
    email: preferenceFields.email.default(true),
    sms: preferenceFields.sms.default(false),
    muted_types: preferenceFields.muted_types.default([]),
  })
  .strict();

// No defaults here: a field left out of an update keeps its stored value.
export const hostSettingsUpdateSchema = z
  .object({
    auto_approve_bookings: z.boolean().optional(),
    notification_preferences: z.object(preferenceFields).partial().strict().optional(),
  })
  .strict()
  .refine((u) => Object.keys(u).length > 0, 'send at least one setting (a JSON object)');

export interface HostSettings {
  auto_approve_bookings: boolean;
  notification_preferences: z.output<typeof notificationPreferencesSchema>;
}

// Stored preferences may predate a field; defaults fill the gaps.
const readPreferences = (stored: unknown) =>
  notificationPreferencesSchema.catch(notificationPreferencesSchema.parse({})).parse(stored ?? {});

/** The notification types the host muted: stored and listed, never pushed live nor counted. */
export async function mutedNotificationTypes(ctx: DomainContext, hostId: string): Promise<NotificationType[]> {
  const host = await ctx.db.host.findUnique({ where: { id: hostId }, select: { notificationPreferences: true } });
  return host ? readPreferences(host.notificationPreferences).muted_types : [];
}

export async function getHostSettings(ctx: DomainContext, hostId: string): Promise<HostSettings> {
  const host = await ctx.db.host.findUnique({ where: { id: hostId } });
  if (!host) throw notFound('Host');
  return {
    auto_approve_bookings: host.autoApproveBookings,
    notification_preferences: readPreferences(host.notificationPreferences),
  };
}

/** Partial update: fields left out keep their value. */
export async function updateHostSettings(
  ctx: DomainContext,
  hostId: string,
  update: z.output<typeof hostSettingsUpdateSchema>,
): Promise<HostSettings> {
  const current = await getHostSettings(ctx, hostId);
  const preferences = { ...current.notification_preferences, ...update.notification_preferences };
  await ctx.db.host.update({
    where: { id: hostId },
    data: {
      autoApproveBookings: update.auto_approve_bookings ?? current.auto_approve_bookings,
      notificationPreferences: preferences,
    },
  });
  return {
    auto_approve_bookings: update.auto_approve_bookings ?? current.auto_approve_bookings,
    notification_preferences: preferences,
  };
}
