import type { HostNotification } from '@bellhop/db';

/** A notification as the API and the live stream show it. */
export interface NotificationView {
  id: string;
  host_id: string;
  type: string;
  title: string;
  message: string;
  booking_id: string | null;
  property_id: string | null;
  priority: string;
  action_required: boolean;
  action_url: string | null;
  read: boolean;
  read_at: string | null;
  expires_at: string | null;
  created_at: string;
}

export function presentNotification(row: HostNotification): NotificationView {
  return {
    id: row.id,
    host_id: row.hostId,
    type: row.type,
    title: row.title,
    message: row.message,
    booking_id: row.bookingId,
    property_id: row.propertyId,
    priority: row.priority,
    action_required: row.actionRequired,
    action_url: row.actionUrl,
    read: row.readAt !== null,
    read_at: row.readAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
