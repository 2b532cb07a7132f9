import type { Event, NotificationPriority, NotificationType } from '@bellhop/db';

interface Rule {
  type: NotificationType;
  priority: NotificationPriority;
  actionRequired?: boolean;
  title: string;
  message: (data: Record<string, any>) => string;
}

const stay = (d: Record<string, any>) =>
  [d.guest_name ?? 'A guest', d.check_in && d.check_out ? `${d.check_in} → ${d.check_out}` : null]
    .filter(Boolean)
    .join(', ');

/** Which events become host notifications, and how. The one mapping table. */
export const EVENT_NOTIFICATIONS: Record<string, Rule> = {
  'booking.created': {
    type: 'new_booking',
    priority: 'high',
    actionRequired: true,
    title: 'New booking request',
    message: (d) => `${stay(d)} — please confirm or decline.`,
  },
  'host.response_needed': {
    type: 'urgent',
    priority: 'high',
    actionRequired: true,
    title: 'Response needed',
    message: (d) => `A booking request needs your answer${d.expires_at ? ` before ${d.expires_at}` : ''}.`,
  },
  'payment.received': {
    type: 'payment_received',
    priority: 'medium',
    title: 'Payment received',
    message: (d) => `Received ${d.amount ?? ''} ${d.currency ?? ''}`.trim() + '.',
  },
  'message.created': {
    type: 'guest_message',
    priority: 'medium',
    title: 'New guest message',
    message: (d) => String(d.body ?? 'A guest sent you a message.').slice(0, 500),
  },
  'booking.confirmed': {
    type: 'booking_update',
    priority: 'medium',
    title: 'Booking confirmed',
    message: (d) => `${stay(d)} is confirmed.`,
  },
  'booking.cancelled': {
    type: 'booking_update',
    priority: 'medium',
    title: 'Booking cancelled',
    message: (d) => `${stay(d)} was cancelled${d.reason ? `: ${d.reason}` : ''}.`,
  },
  'booking.updated': {
    type: 'booking_update',
    priority: 'low',
    title: 'Booking updated',
    message: (d) => `${stay(d)} changed.`,
  },
  'booking.expired': {
    type: 'booking_update',
    priority: 'low',
    title: 'Booking request expired',
    message: (d) => `${stay(d)} expired without an answer.`,
  },
};

/** The notification row an event implies for its host, or null. */
export function notificationFromEvent(
  event: Pick<Event, 'id' | 'type' | 'hostId' | 'bookingId' | 'propertyId' | 'data'>,
) {
  const rule = EVENT_NOTIFICATIONS[event.type];
  if (!rule || !event.hostId) return null;
  const data = (event.data ?? {}) as Record<string, any>;
  return {
    hostId: event.hostId,
    type: rule.type,
    priority: rule.priority,
    actionRequired: rule.actionRequired ?? false,
    title: rule.title,
    message: rule.message(data),
    bookingId: event.bookingId,
    propertyId: event.propertyId,
    eventId: event.id,
  };
}
