import type { Config } from '@bellhop/config';

/** The oldest creation time still kept: events, deliveries, attempts and inbound receipts before it may have been purged. */
export function dataRetainedSince(config: Pick<Config, 'DATA_RETENTION'>, now = new Date()): Date {
  return new Date(now.getTime() - config.DATA_RETENTION);
}
