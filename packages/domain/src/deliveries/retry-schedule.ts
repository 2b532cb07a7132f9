import type { Config } from '@bellhop/config';
import type { WebhookSubscription } from '@bellhop/db';

const JITTER = 0.2;

/** Delays between attempts: the subscription's explicit schedule, its first `max_retries` default steps, or the default. */
export function retrySchedule(
  config: Pick<Config, 'RETRY_SCHEDULE'>,
  sub: Pick<WebhookSubscription, 'retryScheduleMs' | 'maxRetries'>,
): number[] {
  if (sub.retryScheduleMs.length > 0) return sub.retryScheduleMs;
  if (sub.maxRetries !== null) return config.RETRY_SCHEDULE.slice(0, sub.maxRetries);
  return config.RETRY_SCHEDULE;
}

/** Retry-After as milliseconds from now (delta-seconds or an HTTP date), or null when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Statuses whose Retry-After we honour. */
export const RETRY_AFTER_STATUSES = new Set([429, 502, 503, 504]);

/** Scheduled delay with ±20% jitter, raised to Retry-After (itself capped) when the receiver asked for longer. */
export function nextDelayMs(
  scheduledMs: number,
  retryAfterMs: number | null,
  capMs: number,
  random = Math.random,
): number {
  const jittered = Math.round(scheduledMs * (1 - JITTER + 2 * JITTER * random()));
  if (retryAfterMs === null) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, capMs));
}
