import { isUniqueViolation, type InboundConnection, type InboundReceipt } from '@bellhop/db';
import { DomainError, notFound } from '@bellhop/errors';
import type { Logger } from '@bellhop/logger';
import type { DomainContext } from '../context';
import { enqueueEvents, type RequestOrigin } from '../events/record-event';
import { applyChange, type RecordChange } from './apply-change';
import type { Channel } from './apply-property';
import { normaliseHostaway } from './hostaway.normalise';
import { normaliseHospitable } from './hospitable.normalise';
import type { InboundChange } from './inbound.types';

/** Tries after the first, when a concurrent receipt created the same record first. */
const LOST_RACE_RETRIES = 2;

/**
 * Applies the change and marks the receipt processed, in one transaction. Two receipts about the
 * same new booking, property or message can run at once: the unique index lets one create it and
 * fails the other. That is expected, not an error: the loser applies its change again, on top of
 * the winner's row, which it now finds. Should it keep losing, the error goes to the job's retry.
 */
async function applyAndMarkProcessed(
  ctx: DomainContext,
  log: Logger,
  receiptId: string,
  channel: Channel,
  change: RecordChange,
): Promise<{ receipt: InboundReceipt; eventIds: string[] }> {
  for (let retry = 0; ; retry++) {
    const eventIds: string[] = [];
    try {
      const receipt = await ctx.db.$transaction(async (tx) => {
        await applyChange(tx, channel, change, eventIds);
        return tx.inboundReceipt.update({
          where: { id: receiptId },
          data: { status: 'processed', error: null, processedAt: new Date() },
        });
      });
      return { receipt, eventIds };
    } catch (error) {
      if (!isUniqueViolation(error) || retry === LOST_RACE_RETRIES) throw error;
      log.info('inbound webhook lost a race to a concurrent one about the same record; applying it again', {
        retry: retry + 1,
      });
    }
  }
}

function normalise(receipt: InboundReceipt): InboundChange {
  const body = JSON.parse(receipt.rawBody);
  return receipt.provider === 'hostaway' ? normaliseHostaway(body) : normaliseHospitable(body);
}

/**
 * Turns a stored channel webhook into bookings, properties and events. The changes and the
 * receipt's `processed` mark commit together; a failure marks it `failed` with the error and
 * rethrows so the job retries, unless the content itself cannot be applied (`rejected`, kept
 * with the error). Safe to run again: only real changes record events.
 */
export async function processInboundReceipt(
  ctx: DomainContext,
  receiptId: string,
  origin: RequestOrigin = {},
): Promise<InboundReceipt> {
  const found = await ctx.db.inboundReceipt.findUnique({ where: { id: receiptId }, include: { connection: true } });
  if (!found) throw notFound('Inbound receipt');
  const { connection, ...receipt }: InboundReceipt & { connection: InboundConnection } = found;
  const log = ctx.logger.child({ receiptId, provider: receipt.provider, eventName: receipt.eventName });
  await ctx.db.inboundReceipt.update({ where: { id: receiptId }, data: { attempts: { increment: 1 } } });
  const channel: Channel = {
    connectionId: connection.id,
    provider: receipt.provider,
    hostId: connection.hostId,
    ...origin,
  };
  try {
    const change = normalise(receipt);
    if (change.kind === 'ignored' || change.kind === 'disconnected') {
      const reason =
        change.kind === 'ignored' ? change.reason : 'the channel integration was disconnected at the provider';
      log[change.kind === 'ignored' ? 'info' : 'warn']('inbound webhook not applied', { reason });
      return await ctx.db.inboundReceipt.update({
        where: { id: receiptId },
        data: { status: change.kind === 'ignored' ? 'ignored' : 'processed', error: reason, processedAt: new Date() },
      });
    }
    const { receipt: done, eventIds } = await applyAndMarkProcessed(ctx, log, receiptId, channel, change);
    await enqueueEvents(ctx, eventIds, origin.requestId);
    log.info('inbound webhook processed', { events: eventIds.length });
    return done;
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).slice(0, 2000);
    // The same payload would fail the same way: a receipt whose content cannot be applied is not retried.
    if (error instanceof DomainError && error.kind === 'invalid') {
      log.warn('inbound webhook rejected: its content cannot be applied, so it is not retried', { error: message });
      return ctx.db.inboundReceipt.update({ where: { id: receiptId }, data: { status: 'rejected', error: message } });
    }
    log.warn('inbound webhook failed; it will be retried', { error: message });
    await ctx.db.inboundReceipt.update({ where: { id: receiptId }, data: { status: 'failed', error: message } });
    throw error;
  }
}

/** Admin "run it again": the outcome is on the returned receipt (a failure is kept, not thrown). */
export async function reprocessInboundReceipt(
  ctx: DomainContext,
  receiptId: string,
  origin: RequestOrigin = {},
): Promise<InboundReceipt> {
  try {
    return await processInboundReceipt(ctx, receiptId, origin);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw error;
    return ctx.db.inboundReceipt.findUniqueOrThrow({ where: { id: receiptId } });
  }
}
