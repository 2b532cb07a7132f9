import type { DomainContext } from '../context';
import { batcher, batcherPerContext } from '../batching/batcher';
import { redisScript } from './redis-script';

/**
 * Each endpoint (a webhook URL's origin) has ENDPOINT_MAX_IN_FLIGHT lanes. A lane is a delivery
 * job holding one of the endpoint's slots; after its own delivery it keeps sending the
 * endpoint's waiting deliveries, oldest first, until none is left, then gives the slot back.
 * A delivery that finds every slot taken waits in the endpoint's `waiting` set: no job, no
 * polling, no attempt used, and it starts the moment a lane is free. The busy endpoint's
 * backlog never sits in the shared queue, so other endpoints' deliveries are not behind it.
 *
 * Keys per endpoint: `slots` (lane job id → lease expiry, ms) and `waiting` (delivery id → when
 * it began to wait, ms). Redis loses them in a wipe; Postgres still holds every pending
 * delivery, and the sweeper admits it again.
 */

// For each delivery in turn (KEYS: its endpoint's slots and waiting sets; ARGV: now, slots per
// endpoint, lease, then each delivery id and the job id that would be its lane): 1 when that job
// holds (or now takes) a slot and should send, 0 when the delivery now waits for a lane, -1 when
// it was waiting already. Idempotent:
// a job that holds a slot keeps it, a waiting delivery keeps its place. A free slot goes to the
// delivery even if it was waiting: a free slot means no lane is left to take it (its worker stopped).
const ADMIT = redisScript(`
local now, cap, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local admitted = {}
for i = 1, #KEYS / 2 do
  local slots, waiting = KEYS[2 * i - 1], KEYS[2 * i]
  local delivery, lane = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
  if redis.call('ZSCORE', slots, lane) or redis.call('ZCARD', slots) < cap then
    redis.call('ZADD', slots, now + lease, lane)
    redis.call('ZREM', waiting, delivery)
    admitted[i] = 1
  elseif redis.call('ZSCORE', waiting, delivery) then
    admitted[i] = -1
  else
    redis.call('ZADD', waiting, now, delivery)
    admitted[i] = 0
  end
end
return admitted`);

// For each lane that finished a delivery (KEYS: its endpoint's slots and waiting sets; ARGV:
// now, slots per endpoint, lease, then each lane's job id): the next waiting delivery id, its
// lease renewed, or false when nothing waits (the slot is given back). A lane whose lease ran
// out continues only if a slot is free, so the cap holds even after a long pause.
const NEXT = redisScript(`
local now, cap, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local next = {}
for i = 1, #KEYS / 2 do
  local slots, waiting, lane = KEYS[2 * i - 1], KEYS[2 * i], ARGV[3 + i]
  redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
  local holds = redis.call('ZSCORE', slots, lane) or redis.call('ZCARD', slots) < cap
  local popped = holds and redis.call('ZPOPMIN', waiting, 1) or {}
  if popped[1] then
    redis.call('ZADD', slots, now + lease, lane)
    next[i] = popped[1]
  else
    redis.call('ZREM', slots, lane)
    next[i] = false
  end
end
return next`);

/** A lane outlives a crashed worker by at most this long (a stalled job re-run by BullMQ keeps it). */
const LANE_LEASE_MS = 60_000;

/** An endpoint is the origin of a webhook URL: subscriptions to one server share its slots. */
export const endpointOf = (webhookUrl: string) => new URL(webhookUrl).origin;

const laneKeys = (prefix: string, endpoint: string) => [`${prefix}:endpoint:${endpoint}:slots`, `${prefix}:endpoint:${endpoint}:waiting`];

export interface Admission { deliveryId: string; laneId: string; endpoint: string }
/** `lane`: its job holds a slot and sends; `waits`: it now waits for a lane; `already waiting`: nothing changed. */
export type Admitted = 'lane' | 'waits' | 'already waiting';
const ADMITTED: Record<number, Admitted> = { 1: 'lane', 0: 'waits', [-1]: 'already waiting' };

/** Admits deliveries due now, each to a lane of its own or to its endpoint's waiting set. */
export async function admitDeliveries(ctx: DomainContext, admissions: Admission[]): Promise<Admitted[]> {
  if (admissions.length === 0) return [];
  const keys = admissions.flatMap((a) => laneKeys(ctx.config.QUEUE_PREFIX, a.endpoint));
  const args = [Date.now(), ctx.config.ENDPOINT_MAX_IN_FLIGHT, LANE_LEASE_MS, ...admissions.flatMap((a) => [a.deliveryId, a.laneId])];
  return ((await ADMIT(ctx.redis, keys, args)) as number[]).map((code) => ADMITTED[code]);
}

/** Concurrent jobs take their turns with one script call. */
const admitBatch = batcherPerContext((ctx) => batcher((admissions: Admission[]) => admitDeliveries(ctx, admissions)));

/** Whether a starting job may send now (it holds, or takes, a slot of its endpoint) or its delivery waits for a lane. */
export async function takeLane(ctx: DomainContext, admission: Admission): Promise<boolean> {
  return (await admitBatch(ctx)(admission)) === 'lane';
}

export interface Lane { laneId: string; endpoint: string }

/** Concurrent lanes take their next deliveries with one script call. */
const nextBatch = batcherPerContext((ctx) => batcher(async (lanes: Lane[]): Promise<(string | null)[]> => {
  const keys = lanes.flatMap((lane) => laneKeys(ctx.config.QUEUE_PREFIX, lane.endpoint));
  const next = (await NEXT(ctx.redis, keys, [Date.now(), ctx.config.ENDPOINT_MAX_IN_FLIGHT, LANE_LEASE_MS, ...lanes.map((lane) => lane.laneId)])) as (string | null)[];
  return next.map((id) => id || null);
}));

/**
 * The next waiting delivery this lane sends, loaded with `load`, or null once nothing waits (the
 * lane's slot is then given back). A waiting id whose row is gone is passed over.
 */
export async function nextInLane<T>(ctx: DomainContext, lane: Lane, load: (deliveryId: string) => Promise<T | null>): Promise<T | null> {
  for (let id = await nextBatch(ctx)(lane); id; id = await nextBatch(ctx)(lane)) {
    const delivery = await load(id);
    if (delivery) return delivery;
  }
  return null;
}

/** Gives a lane's slot back without taking a waiting delivery (the worker is stopping, or the lane failed). */
export async function releaseLane(ctx: DomainContext, lane: Lane): Promise<void> {
  const [slots] = laneKeys(ctx.config.QUEUE_PREFIX, lane.endpoint);
  await ctx.redis.zrem(slots, lane.laneId).catch(() => undefined);
}
