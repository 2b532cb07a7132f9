import type { WebhookSubscription } from '@bellhop/db';
import type { DomainContext } from '../context';

// Checks the endpoint's in-flight cap, then the subscription's per-second window; takes both slots or none.
const ACQUIRE = `
local inflight = tonumber(redis.call('GET', KEYS[1]) or '0')
if inflight >= tonumber(ARGV[1]) then return tonumber(ARGV[4]) end
local limit = tonumber(ARGV[2])
if limit > 0 then
  local used = tonumber(redis.call('GET', KEYS[2]) or '0')
  if used >= limit then
    local ttl = redis.call('PTTL', KEYS[2])
    if ttl < 1 then redis.call('PEXPIRE', KEYS[2], 1000) return 1000 end
    return ttl
  end
  if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], 1000) end
end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

// Never below zero, even if the counter was wiped while a request was in flight.
const RELEASE = `if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end return 0`;

/** An in-flight slot outlives a crashed worker by at most this long. */
const IN_FLIGHT_TTL_MS = 60_000;
const BUSY_ENDPOINT_WAIT_MS = 250;

export type SlotResult = { ok: true; release: () => Promise<void> } | { ok: false; waitMs: number };

function keys(ctx: DomainContext, sub: Pick<WebhookSubscription, 'id' | 'webhookUrl'>): [string, string] {
  const prefix = ctx.config.QUEUE_PREFIX;
  return [`${prefix}:endpoint-in-flight:${new URL(sub.webhookUrl).origin}`, `${prefix}:subscription-rate:${sub.id}`];
}

/** Takes a send slot for this subscription's endpoint, or says how long to wait for one. */
export async function acquireDeliverySlot(ctx: DomainContext, sub: Pick<WebhookSubscription, 'id' | 'webhookUrl' | 'rateLimitPerSecond'>): Promise<SlotResult> {
  const [inFlightKey, rateKey] = keys(ctx, sub);
  const waitMs = Number(await ctx.redis.eval(ACQUIRE, 2, inFlightKey, rateKey,
    ctx.config.ENDPOINT_MAX_IN_FLIGHT, sub.rateLimitPerSecond ?? 0, IN_FLIGHT_TTL_MS, BUSY_ENDPOINT_WAIT_MS));
  if (waitMs > 0) return { ok: false, waitMs };
  return { ok: true, release: async () => { await ctx.redis.eval(RELEASE, 1, inFlightKey).catch(() => undefined); } };
}
