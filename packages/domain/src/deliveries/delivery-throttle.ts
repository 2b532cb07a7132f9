import type { WebhookSubscription } from '@bellhop/db';
import { batcher, batcherPerContext } from '../batching/batcher';
import type { DomainContext } from '../context';
import { redisScript } from './redis-script';

// For each request in turn (KEYS: its endpoint's in-flight counter, its subscription's
// per-second window; ARGV: max in flight, busy wait, in-flight TTL, then each request's rate
// limit): checks the endpoint's cap, then the window, and takes both slots or none.
// Returns one wait per request, 0 for a slot taken.
const ACQUIRE = redisScript(`
local maxInFlight, busyWait, inFlightTtl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local waits = {}
for i = 1, #KEYS / 2 do
  local inFlightKey, rateKey, limit = KEYS[2 * i - 1], KEYS[2 * i], tonumber(ARGV[3 + i])
  local wait = 0
  if tonumber(redis.call('GET', inFlightKey) or '0') >= maxInFlight then
    wait = busyWait
  elseif limit > 0 and tonumber(redis.call('GET', rateKey) or '0') >= limit then
    wait = redis.call('PTTL', rateKey)
    if wait < 1 then redis.call('PEXPIRE', rateKey, 1000) wait = 1000 end
  else
    if limit > 0 and redis.call('INCR', rateKey) == 1 then redis.call('PEXPIRE', rateKey, 1000) end
    redis.call('INCR', inFlightKey)
    redis.call('PEXPIRE', inFlightKey, inFlightTtl)
  end
  waits[i] = wait
end
return waits`);

// Gives back ARGV[i] slots of KEYS[i]; never below zero, even if a counter was wiped while a request was in flight.
const RELEASE = redisScript(`
for i, key in ipairs(KEYS) do
  if redis.call('DECRBY', key, ARGV[i]) <= 0 then redis.call('DEL', key) end
end
return 0`);

/** An in-flight slot outlives a crashed worker by at most this long. */
const IN_FLIGHT_TTL_MS = 60_000;
const BUSY_ENDPOINT_WAIT_MS = 250;

type Throttled = Pick<WebhookSubscription, 'id' | 'webhookUrl' | 'rateLimitPerSecond'>;
export type SlotResult = { ok: true; release: () => Promise<void> } | { ok: false; waitMs: number };

interface SlotRequest { inFlightKey: string; rateKey: string; limit: number }

/** Concurrent jobs take their slots with one script call. */
const acquireSlots = batcherPerContext((ctx) => batcher(async (requests: SlotRequest[]): Promise<number[]> => {
  const waits = await ACQUIRE(ctx.redis, requests.flatMap((r) => [r.inFlightKey, r.rateKey]),
    [ctx.config.ENDPOINT_MAX_IN_FLIGHT, BUSY_ENDPOINT_WAIT_MS, IN_FLIGHT_TTL_MS, ...requests.map((r) => r.limit)]);
  return (waits as number[]).map(Number);
}));

/** Concurrent jobs give their slots back with one script call; a failed release is left to the TTL. */
const releaseSlots = batcherPerContext((ctx) => batcher(async (keys: string[]): Promise<void[]> => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  await RELEASE(ctx.redis, [...counts.keys()], [...counts.values()]).catch(() => undefined);
  return keys.map(() => undefined);
}));

/** Takes a send slot for this subscription's endpoint, or says how long to wait for one. */
export async function acquireDeliverySlot(ctx: DomainContext, sub: Throttled): Promise<SlotResult> {
  const prefix = ctx.config.QUEUE_PREFIX;
  const inFlightKey = `${prefix}:endpoint-in-flight:${new URL(sub.webhookUrl).origin}`;
  const waitMs = await acquireSlots(ctx)({ inFlightKey, rateKey: `${prefix}:subscription-rate:${sub.id}`, limit: sub.rateLimitPerSecond ?? 0 });
  if (waitMs > 0) return { ok: false, waitMs };
  return { ok: true, release: () => releaseSlots(ctx)(inFlightKey) };
}
