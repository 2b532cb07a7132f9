import type { Event } from '@bellhop/db';
import { conflict } from '@bellhop/errors';
import { z } from 'zod';
import type { DomainContext } from '../context';
import { assertRecordableType } from '../event-types/event-type-rules';
import { requestHash } from './canonical-json';
import { enqueueEvents, insertStandaloneEvent } from './record-event';
import { assertHostExists } from './known-hosts';

/** Postgres' SQLSTATE for a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';

const refId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : -');

/** The body of POST /api/v1/external/events. */
export const externalEventSchema = z.strictObject({
  type: z.string().min(1).max(200),
  // Postgres jsonb cannot store \u0000.
  data: z.record(z.string(), z.unknown()).refine((d) => !JSON.stringify(d).includes('\\u0000'), 'must not contain NUL characters'),
  host_id: refId.optional(),
  booking_id: refId.optional(),
  property_id: refId.optional(),
});
export type ExternalEventInput = z.output<typeof externalEventSchema>;

export const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export interface ExternalEventRequest { sourceKeyId: string; idempotencyKey?: string; body: ExternalEventInput; requestId?: string }
export interface RecordedExternalEvent { event: Event; replayed: boolean }

/** The earlier event for this key: the same one when the body matches, else 409. */
async function replay(ctx: DomainContext, sourceKeyId: string, idempotencyKey: string, hash: string): Promise<Event | null> {
  const earlier = await ctx.db.event.findUnique({ where: { sourceKeyId_idempotencyKey: { sourceKeyId, idempotencyKey } } });
  if (earlier && earlier.requestHash !== hash) {
    throw conflict('This Idempotency-Key was already used with a different request body', 'idempotency_conflict', { event_id: earlier.id });
  }
  return earlier;
}

/** Records an agent's event exactly once per Idempotency-Key, then hands it to the fan-out queue. */
export async function recordExternalEvent(ctx: DomainContext, request: ExternalEventRequest): Promise<RecordedExternalEvent> {
  const { sourceKeyId, idempotencyKey, body, requestId } = request;
  const hash = requestHash(body);
  if (idempotencyKey) {
    const earlier = await replay(ctx, sourceKeyId, idempotencyKey, hash);
    if (earlier) return { event: earlier, replayed: true };
  }
  await assertRecordableType(ctx, body.type);
  // Host notifications derive from host_id, so it must name a real host.
  if (body.host_id) await assertHostExists(ctx, body.host_id, 'host_id');
  let event: Event;
  try {
    event = await insertStandaloneEvent(ctx, {
      type: body.type, data: body.data, hostId: body.host_id, bookingId: body.booking_id, propertyId: body.property_id,
      sourceKeyId, idempotencyKey: idempotencyKey ?? null, requestHash: hash, requestId,
    });
  } catch (error) {
    // A concurrent request with the same key won the race (unique violation): answer with its event.
    const lost = idempotencyKey && (error as { code?: string }).code === UNIQUE_VIOLATION;
    const earlier = lost ? await replay(ctx, sourceKeyId, idempotencyKey, hash) : null;
    if (earlier) return { event: earlier, replayed: true };
    throw error;
  }
  await enqueueEvents(ctx, [event.id], requestId);
  return { event, replayed: false };
}
