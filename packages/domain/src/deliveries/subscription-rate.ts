import type { WebhookSubscription } from '@bellhop/db';
import { redisKeys, slotGroups } from '@bellhop/queue';
import { batcher, batcherPerContext } from '../batching/batcher';
import type { DomainContext } from '../context';
import { redisScript } from './redis-script';

// For each request in turn (KEYS: its subscription's per-second window; ARGV: each one's limit):
// 0 when it may send now (counted), else the milliseconds until the window ends.
const TAKE = redisScript(`
local waits = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i])
  if tonumber(redis.call('GET', key) or '0') >= limit then
    local wait = redis.call('PTTL', key)
    if wait < 1 then redis.call('PEXPIRE', key, 1000) wait = 1000 end
    waits[i] = wait
  else
    if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, 1000) end
    waits[i] = 0
  end
end
return waits`);

interface RateRequest {
  key: string;
  limit: number;
}

/** Concurrent sends of rate-limited subscriptions take their turns with one script call (one per slot on a cluster). */
const takeBatch = batcherPerContext((ctx) =>
  batcher(async (requests: RateRequest[]): Promise<number[]> => {
    const waits = new Array<number>(requests.length);
    await Promise.all(
      slotGroups(ctx.redis, requests, (r) => r.key).map(async (group) => {
        const replies = (await TAKE(
          ctx.redis,
          group.map((i) => requests[i].key),
          group.map((i) => requests[i].limit),
        )) as number[];
        group.forEach((i, n) => {
          waits[i] = Number(replies[n]);
        });
      }),
    );
    return waits;
  }),
);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Waits, in this process, until the subscription's `rate_limit_per_second` allows one more send (no wait without a limit). */
export async function awaitSubscriptionRate(
  ctx: DomainContext,
  sub: Pick<WebhookSubscription, 'id' | 'rateLimitPerSecond'>,
): Promise<void> {
  if (!sub.rateLimitPerSecond) return;
  const request = { key: `${redisKeys(ctx.config).prefix}:subscription-rate:${sub.id}`, limit: sub.rateLimitPerSecond };
  for (let wait = await takeBatch(ctx)(request); wait > 0; wait = await takeBatch(ctx)(request)) await sleep(wait);
}
