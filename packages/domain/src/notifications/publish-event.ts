import type { Event } from '@bellhop/db';
import { publishToHost } from '@bellhop/realtime-bus';
import type { DomainContext } from '../context';

/**
 * Pushes what an event means for its host onto the host's live stream: the notification
 * derived from it (written with the event), and booking changes as `booking_update`.
 * Called by the fan-out job, so a Redis hiccup is retried with the job.
 */
export async function publishEventToHost(ctx: DomainContext, event: Event): Promise<void> {
  if (!event.hostId) return;
  const bus = { prefix: ctx.config.QUEUE_PREFIX, historyLength: ctx.config.SSE_HISTORY };
  const notification = await ctx.db.hostNotification.findUnique({ where: { eventId: event.id } });
  if (notification) await publishToHost(ctx.redis, bus, event.hostId, 'notification', notification);
  if (event.type.startsWith('booking.')) {
    await publishToHost(ctx.redis, bus, event.hostId, 'booking_update', { event_id: event.id, type: event.type, booking_id: event.bookingId, data: event.data });
  }
}
