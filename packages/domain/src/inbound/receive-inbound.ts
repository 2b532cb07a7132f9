import { createHash } from 'node:crypto';
import { newId } from '@bellhop/events';
import { invalid, notFound, unsupported } from '@bellhop/errors';
import { inboundReceipts } from '@bellhop/metrics';
import type { DomainContext } from '../context';
import type { RequestOrigin } from '../events/record-event';
import { hostawayEnvelope, HOSTAWAY_EVENTS } from './hostaway.normalise';
import { HOSPITABLE_ACTIONS } from './hospitable.normalise';
import { checkBasicAuth, checkSignature } from './inbound-auth';
import type { InboundProvider } from './inbound.types';
import { enqueueReceipt } from './receipt-queue';

export interface InboundDelivery extends RequestOrigin {
  provider: InboundProvider;
  connectionId: string;
  /** Exact bytes received; undefined when the body was not JSON-typed. */
  rawBody: Buffer | undefined;
  body: unknown;
  authorization?: string;
  signature?: string;
}

export type ReceiveOutcome = { status: 'accepted' | 'duplicate' | 'ignored'; receipt_id: string };

/** Who sent it and which delivery it is: the event name and the key duplicates share. */
function identify(
  provider: InboundProvider,
  raw: Buffer,
  body: Record<string, any>,
): { eventName: string | null; dedupeKey: string; known: boolean } {
  if (provider === 'hospitable') {
    if (typeof body.id !== 'string' && typeof body.id !== 'number')
      throw invalid('Hospitable webhook without an id', [{ field: 'id', message: 'is required' }]);
    return {
      eventName: body.action ?? null,
      dedupeKey: String(body.id),
      known: HOSPITABLE_ACTIONS.includes(body.action),
    };
  }
  const { event } = hostawayEnvelope(body);
  // Hostaway sends no delivery id (data.id is the reservation, shared by all its updates),
  // so a redelivery is recognised by identical bytes: sha256 of the raw body.
  return {
    eventName: event,
    dedupeKey: `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    known: event !== null && HOSTAWAY_EVENTS.includes(event),
  };
}

/** Authenticates a channel webhook, stores the raw receipt once and queues it for processing. */
export async function receiveInbound(ctx: DomainContext, delivery: InboundDelivery): Promise<ReceiveOutcome> {
  const connection = await ctx.db.inboundConnection.findUnique({ where: { id: delivery.connectionId } });
  if (!connection || !connection.isActive || connection.provider !== delivery.provider)
    throw notFound('Inbound connection');
  const secret = ctx.secrets.decrypt(connection.secretEncrypted);
  if (delivery.provider === 'hostaway') checkBasicAuth(connection, secret, delivery.authorization);
  if (!delivery.rawBody) throw unsupported('Send the webhook as application/json');
  if (delivery.provider === 'hospitable') checkSignature(delivery.rawBody, secret, delivery.signature);
  if (!delivery.body || typeof delivery.body !== 'object' || Array.isArray(delivery.body))
    throw invalid('Webhook body must be a JSON object', [{ field: '(body)', message: 'must be an object' }]);
  const { eventName, dedupeKey, known } = identify(
    delivery.provider,
    delivery.rawBody,
    delivery.body as Record<string, any>,
  );
  const id = newId('inboundReceipt');
  const { count } = await ctx.db.inboundReceipt.createMany({
    data: [
      {
        id,
        connectionId: connection.id,
        provider: connection.provider,
        dedupeKey,
        eventName,
        rawBody: delivery.rawBody.toString('utf8'),
        status: known ? 'received' : 'ignored',
        ...(known ? {} : { error: `unknown event ${eventName ?? '(none)'}` }),
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) {
    const existing = await ctx.db.inboundReceipt.findUniqueOrThrow({
      where: { connectionId_dedupeKey: { connectionId: connection.id, dedupeKey } },
      select: { id: true },
    });
    inboundReceipts.inc({ provider: connection.provider, outcome: 'duplicate' });
    return { status: 'duplicate', receipt_id: existing.id };
  }
  if (!known) {
    ctx.logger.info('inbound webhook ignored: unknown event', {
      provider: connection.provider,
      connectionId: connection.id,
      eventName,
      receiptId: id,
      requestId: delivery.requestId,
    });
    inboundReceipts.inc({ provider: connection.provider, outcome: 'ignored' });
    return { status: 'ignored', receipt_id: id };
  }
  await enqueueReceipt(ctx, id, { requestId: delivery.requestId, trace: delivery.trace });
  inboundReceipts.inc({ provider: connection.provider, outcome: 'accepted' });
  return { status: 'accepted', receipt_id: id };
}
