import type { Event } from '@bellhop/db';
import type { DomainContext } from '../context';
import { publishNotification, sendHostEvent } from './host-stream';

/**
 * Pushes what an event means for its host onto the host's live stream: the notification
 * derived from it (written with the event) plus new counts, and booking changes as
 * `booking_update`. Called by the fan-out job, so a Redis hiccup is retried with the job.
 */
export async function publishEventToHost(ctx: DomainContext, event: Event): Promise<void> {
  if (!event.hostId) return;
  const notification = await ctx.db.hostNotification.findUnique({ where: { eventId: event.id } });
  if (notification) await publishNotification(ctx, notification);
  if (event.type.startsWith('booking.')) {
    await sendHostEvent(ctx, event.hostId, 'booking_update', {
      event_id: event.id,
      type: event.type,
      booking_id: event.bookingId,
      data: event.data,
    });
  }
}
