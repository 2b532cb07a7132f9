import { redisKeys, slotGroups } from '@bellhop/queue';
import type { DomainContext } from '../context';
import { batcher, batcherPerContext } from '../batching/batcher';
import { redisScript } from './redis-script';

/**
 * Each endpoint (a webhook URL's origin) has ENDPOINT_MAX_IN_FLIGHT lanes. A lane is a delivery
 * job holding one of the endpoint's slots; after its own delivery it keeps sending the
 * endpoint's waiting deliveries, oldest first, one request at a time, until none is left, then
 * gives the slot back. A delivery that finds every slot taken waits in the endpoint's `waiting`
 * set: no job, no polling, no attempt used, and a lane takes it as soon as one is free. The busy
 * endpoint's backlog never sits in the shared queue, so other endpoints are not behind it.
 *
 * Keys per endpoint: `slots` (lane job id → lease expiry, ms), `waiting` (delivery id → when it
 * began to wait) and `sending` (delivery id taken by a lane → lease expiry), so a sweep never
 * admits again what a lane is sending. Redis loses them in a wipe; Postgres still holds every
 * pending delivery, and the sweeper admits it again. An endpoint's three keys share a hash tag,
 * so on a Redis Cluster they are in one slot and a batch is split per slot.
 */

// For each delivery in turn (KEYS: its endpoint's slots, waiting and sending sets; ARGV: now,
// slots per endpoint, lease, then each delivery id and the job id that would be its lane):
// 1 when that job holds (or now takes) a slot and sends it, 0 when the delivery now waits for a
// lane, -1 when a lane has it or it waits already. A free slot goes to a waiting delivery too: a
// free slot means no lane is left to take it (its worker stopped). A batch waits in the order given
// (a microsecond apart), so resumed deliveries go out in order of due time.
const ADMIT = redisScript(`
local now, cap, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local admitted = {}
for i = 1, #KEYS / 3 do
  local slots, waiting, sending = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local delivery, lane = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
  redis.call('ZREMRANGEBYSCORE', sending, '-inf', now)
  local holds = redis.call('ZSCORE', slots, lane)
  if not holds and redis.call('ZSCORE', sending, delivery) then
    admitted[i] = -1
  elseif holds or redis.call('ZCARD', slots) < cap then
    redis.call('ZADD', slots, now + lease, lane)
    redis.call('ZREM', waiting, delivery)
    redis.call('ZADD', sending, now + lease, delivery)
    admitted[i] = 1
  elseif redis.call('ZSCORE', waiting, delivery) then
    admitted[i] = -1
  else
    redis.call('ZADD', waiting, now + (i - 1) / 1000, delivery)
    admitted[i] = 0
  end
end
return admitted`);

// One lane's turn (KEYS: its endpoint's slots, waiting and sending sets; ARGV: now, slots per
// endpoint, lease, lane job id, how many to take, 1 if the lane is done sending, then the
// delivery ids it has finished): up to that many waiting delivery ids, oldest first, its lease
// renewed. When nothing waits, a lane done sending gives its slot back; one still sending keeps
// it. A lane whose lease ran out goes on only if a slot is free, so the cap holds even after a
// long pause.
const NEXT = redisScript(`
local slots, waiting, sending = KEYS[1], KEYS[2], KEYS[3]
local now, cap, lease, lane, count, done = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), ARGV[6] == '1'
for i = 7, #ARGV do redis.call('ZREM', sending, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
local taken = {}
if redis.call('ZSCORE', slots, lane) or redis.call('ZCARD', slots) < cap then
  local popped = redis.call('ZPOPMIN', waiting, count)
  for i = 1, #popped, 2 do
    taken[#taken + 1] = popped[i]
    redis.call('ZADD', sending, now + lease, popped[i])
  end
end
if #taken > 0 or not done then redis.call('ZADD', slots, now + lease, lane) else redis.call('ZREM', slots, lane) end
return taken`);

// A stopping lane (KEYS: slots, waiting, sending; ARGV: now, lane, then the ids it took but did not send): they wait again, first in line.
const RELEASE = redisScript(`
local slots, waiting, sending = KEYS[1], KEYS[2], KEYS[3]
redis.call('ZREM', slots, ARGV[2])
for i = 3, #ARGV do
  redis.call('ZREM', sending, ARGV[i])
  redis.call('ZADD', waiting, 0, ARGV[i])
end
return 0`);

// A running lane renews its lease (KEYS: slots, sending; ARGV: expiry, lane, then the ids it holds); only what it still holds.
const RENEW = redisScript(`
local slots, sending, expiry = KEYS[1], KEYS[2], ARGV[1]
redis.call('ZADD', slots, 'XX', expiry, ARGV[2])
for i = 3, #ARGV do redis.call('ZADD', sending, 'XX', expiry, ARGV[i]) end
return 0`);

/**
 * A lane, and what it took, outlive a crashed worker by at most this long (a stalled job re-run
 * by BullMQ keeps its slot). A running lane renews it every third of it, however long its sends.
 */
export const LANE_LEASE_MS = 60_000;

/** An endpoint is the origin of a webhook URL: subscriptions to one server share its slots. */
export const endpointOf = (webhookUrl: string) => new URL(webhookUrl).origin;

const laneKeys = (ctx: DomainContext, endpoint: string) => {
  const keys = redisKeys(ctx.config);
  return ['slots', 'waiting', 'sending'].map((set) => keys.grouped('endpoint', endpoint, set));
};

export interface Admission {
  deliveryId: string;
  laneId: string;
  endpoint: string;
}
/** `lane`: its job holds a slot and sends it; `waits`: it now waits for a lane; `unchanged`: a lane has it, or it waits already. */
export type Admitted = 'lane' | 'waits' | 'unchanged';
const ADMITTED: Record<number, Admitted> = { 1: 'lane', 0: 'waits', [-1]: 'unchanged' };

/** Admits deliveries due now, each to a lane of its own or to its endpoint's waiting set (one script call per slot). */
export async function admitDeliveries(ctx: DomainContext, admissions: Admission[]): Promise<Admitted[]> {
  if (admissions.length === 0) return [];
  const admitted = new Array<Admitted>(admissions.length);
  const keys = admissions.map((a) => laneKeys(ctx, a.endpoint));
  await Promise.all(
    slotGroups(ctx.redis, keys, ([slots]) => slots).map(async (group) => {
      const args = [
        Date.now(),
        ctx.config.ENDPOINT_MAX_IN_FLIGHT,
        LANE_LEASE_MS,
        ...group.flatMap((i) => [admissions[i].deliveryId, admissions[i].laneId]),
      ];
      const codes = (await ADMIT(
        ctx.redis,
        group.flatMap((i) => keys[i]),
        args,
      )) as number[];
      group.forEach((i, n) => {
        admitted[i] = ADMITTED[codes[n]];
      });
    }),
  );
  return admitted;
}

/** Concurrent jobs take their turns with one script call. */
const admitBatch = batcherPerContext((ctx) => batcher((admissions: Admission[]) => admitDeliveries(ctx, admissions)));

/** Whether a starting job may send now (it holds, or takes, a slot of its endpoint) or its delivery waits for a lane. */
export async function takeLane(ctx: DomainContext, admission: Admission): Promise<boolean> {
  return (await admitBatch(ctx)(admission)) === 'lane';
}

export interface Lane {
  laneId: string;
  endpoint: string;
}

/**
 * Up to `count` waiting deliveries for this lane to send, oldest first, after marking `finished`
 * (whose outcomes are written) as no longer being sent. When none waits, a lane `done` sending
 * gives its slot back; one still sending (taking its next deliveries ahead) keeps it.
 */
export async function takeWaiting(
  ctx: DomainContext,
  lane: Lane,
  count: number,
  done: boolean,
  finished: string[],
): Promise<string[]> {
  const args = [
    Date.now(),
    ctx.config.ENDPOINT_MAX_IN_FLIGHT,
    LANE_LEASE_MS,
    lane.laneId,
    count,
    done ? 1 : 0,
    ...finished,
  ];
  return (await NEXT(ctx.redis, laneKeys(ctx, lane.endpoint), args)) as string[];
}

/** Marks deliveries whose outcomes are written as no longer being sent (after a lane's last turn). */
export async function forgetSent(ctx: DomainContext, lane: Lane, finished: string[]): Promise<void> {
  if (finished.length > 0) await ctx.redis.zrem(laneKeys(ctx, lane.endpoint)[2], ...finished).catch(() => undefined);
}

/** Gives a lane's slot back; what it took but did not send waits again, first in line (the worker is stopping, or the lane failed). */
export async function releaseLane(ctx: DomainContext, lane: Lane, unsent: string[]): Promise<void> {
  await RELEASE(ctx.redis, laneKeys(ctx, lane.endpoint), [Date.now(), lane.laneId, ...unsent]).catch(() => undefined);
}

/** Renews a running lane's lease on its slot and on the deliveries it holds (see LANE_LEASE_MS). */
export async function renewLane(ctx: DomainContext, lane: Lane, holding: string[]): Promise<void> {
  const [slots, , sending] = laneKeys(ctx, lane.endpoint);
  await RENEW(ctx.redis, [slots, sending], [Date.now() + LANE_LEASE_MS, lane.laneId, ...holding]);
}
