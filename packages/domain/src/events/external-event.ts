import type { Event } from '@bellhop/db';
import { conflict, invalid } from '@bellhop/errors';
import { z } from 'zod';
import type { ActingAgent } from '../access/agents';
import { findHostForAgent } from '../access/host-scope';
import type { DomainContext } from '../context';
import { assertRecordableType } from '../event-types/event-type-rules';
import { assertNotReserved } from '../event-types/reserved-types';
import { requestHash } from './canonical-json';
import { enqueueEvents, insertStandaloneEvent, type RequestOrigin } from './record-event';
import { assertHostExists } from './known-hosts';

/** Postgres' SQLSTATE for a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';

const refId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : -');

/** The body of POST /api/v1/external/events. */
export const externalEventSchema = z.strictObject({
  type: z.string().min(1).max(200),
  // NUL (which jsonb cannot store), lone surrogates and deep nesting are refused by the JSON body parser.
  data: z.record(z.string(), z.unknown()),
  host_id: refId.optional(),
  booking_id: refId.optional(),
  property_id: refId.optional(),
});
export type ExternalEventInput = z.output<typeof externalEventSchema>;

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export interface ExternalEventRequest extends RequestOrigin {
  agent: ActingAgent;
  idempotencyKey?: string;
  body: ExternalEventInput;
}
export interface RecordedExternalEvent {
  event: Event;
  replayed: boolean;
}

/** The earlier event for this agent's key: the same one when the body matches, else 409. */
async function replay(
  ctx: DomainContext,
  sourceAgentId: string,
  idempotencyKey: string,
  hash: string,
): Promise<Event | null> {
  const earlier = await ctx.db.event.findUnique({
    where: { sourceAgentId_idempotencyKey: { sourceAgentId, idempotencyKey } },
  });
  if (earlier && earlier.requestHash !== hash) {
    throw conflict('This Idempotency-Key was already used with a different request body', 'idempotency_conflict', {
      event_id: earlier.id,
    });
  }
  return earlier;
}

/**
 * The host an event is about must be one the agent acts for: any host for a platform agent
 * (host notifications derive from host_id, so it must exist), a granting one for a partner,
 * which must name one. Another host answers 404, like a missing one.
 */
async function assertEventHost(ctx: DomainContext, agent: ActingAgent, hostId: string | undefined): Promise<void> {
  if (agent.kind === 'platform') {
    if (hostId) await assertHostExists(ctx, hostId, 'host_id');
    return;
  }
  if (!hostId)
    throw invalid('Invalid body: host_id: a partner agent records events for a host that granted it', [
      { field: 'host_id', message: 'is required for partner agents' },
    ]);
  await findHostForAgent(ctx, agent, hostId, 'host_id');
}

/** Records an agent's event exactly once per Idempotency-Key, then hands it to the fan-out queue. */
export async function recordExternalEvent(
  ctx: DomainContext,
  request: ExternalEventRequest,
): Promise<RecordedExternalEvent> {
  const { agent, idempotencyKey, body, requestId, trace } = request;
  assertNotReserved(body.type);
  const hash = requestHash(body);
  if (idempotencyKey) {
    const earlier = await replay(ctx, agent.id, idempotencyKey, hash);
    if (earlier) return { event: earlier, replayed: true };
  }
  await assertRecordableType(ctx, body.type);
  await assertEventHost(ctx, agent, body.host_id);
  let event: Event;
  try {
    event = await insertStandaloneEvent(ctx, {
      type: body.type,
      data: body.data,
      hostId: body.host_id,
      bookingId: body.booking_id,
      propertyId: body.property_id,
      sourceAgentId: agent.id,
      sourceKeyId: agent.keyId ?? null,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
      requestId,
      trace,
    });
  } catch (error) {
    // A concurrent request with the same key won the race (unique violation): answer with its event.
    const lost = idempotencyKey && (error as { code?: string }).code === UNIQUE_VIOLATION;
    const earlier = lost ? await replay(ctx, agent.id, idempotencyKey, hash) : null;
    if (earlier) return { event: earlier, replayed: true };
    throw error;
  }
  await enqueueEvents(ctx, [event.id], requestId);
  return { event, replayed: false };
}
