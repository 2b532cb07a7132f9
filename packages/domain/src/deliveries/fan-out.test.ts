import { createLogger } from '@bellhop/logger';
import { busKeys } from '@bellhop/realtime-bus';
import { createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { closeDomainContext, createDomainContext } from '../bootstrap';
import type { DomainContext } from '../context';
import { insertEvent } from '../events/record-event';
import { fanOutEvents } from './fan-out';
import { sweepUnfannedEvents } from './sweep';

let env: TestEnv;
/** A second worker process: its own pools and batches. */
let otherWorker: DomainContext;
let hostId: string;

beforeAll(async () => {
  env = await createTestEnv();
  otherWorker = createDomainContext(env.config, createLogger('other-worker', 'error'));
  ({ hostId } = await createHostWithToken(env.ctx));
});
afterAll(async () => {
  await closeDomainContext(otherWorker);
  await env.close();
});

interface HostEvent {
  id: string;
  notificationId: string;
}

/** A booking event for the host, with the notification it implies, committed but not fanned out. */
async function recordHostEvent(): Promise<HostEvent> {
  const event = await env.ctx.db.$transaction((tx) =>
    insertEvent(tx, { type: 'booking.created', data: { guest: 'Ana' }, hostId, bookingId: 'bkg_1' }),
  );
  const notification = await env.ctx.db.hostNotification.findUniqueOrThrow({ where: { eventId: event.id } });
  return { id: event.id, notificationId: notification.id };
}

/** What the host's live stream carries about one event: its notification and its booking_update. */
async function pushesOf(event: HostEvent): Promise<string[]> {
  const entries = await env.ctx.redis.xrange(busKeys(env.config.QUEUE_PREFIX).hostStream(hostId), '-', '+');
  return entries
    .map(([, [, name, , json]]) => ({ name, data: JSON.parse(json) as { id?: string; event_id?: string } }))
    .filter(
      ({ name, data }) =>
        (name === 'booking_update' && data.event_id === event.id) ||
        (name === 'notification' && data.id === event.notificationId),
    )
    .map(({ name }) => name)
    .sort();
}

const fannedOutAt = async (event: HostEvent) =>
  (await env.ctx.db.event.findUniqueOrThrow({ where: { id: event.id } })).fannedOutAt;

describe("an event's live push to its host", () => {
  it('is published once when two fan-outs cover the same event at once, and not again when the sweeper re-runs it', async () => {
    const sameProcess = await recordHostEvent();
    const twoProcesses = await recordHostEvent();

    await Promise.all([fanOutEvents(env.ctx, [sameProcess.id]), fanOutEvents(env.ctx, [sameProcess.id])]);
    await Promise.all([fanOutEvents(env.ctx, [twoProcesses.id]), fanOutEvents(otherWorker, [twoProcesses.id])]);
    await fanOutEvents(otherWorker, [sameProcess.id, twoProcesses.id]);

    for (const event of [sameProcess, twoProcesses]) {
      expect(await pushesOf(event)).toEqual(['booking_update', 'notification']);
      expect(await fannedOutAt(event)).not.toBeNull();
    }
  });

  it('is retried by the sweeper after a failed push, and published once then', async () => {
    const event = await recordHostEvent();
    const redisDown = createDomainContext(env.config, createLogger('redis-down', 'error'));
    redisDown.redis.disconnect();
    try {
      await expect(fanOutEvents(redisDown, [event.id])).rejects.toThrow();
    } finally {
      await closeDomainContext(redisDown);
    }
    expect(await env.ctx.db.event.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      fannedOutAt: null,
      pushClaimedAt: null,
    });
    expect(await pushesOf(event)).toEqual([]);

    expect(await sweepUnfannedEvents(env.ctx, new Date(Date.now() + 60_000))).toBeGreaterThan(0);
    const job = await env.ctx.queues.events.getJob(event.id);
    await fanOutEvents(env.ctx, job!.data.eventIds);

    expect(await pushesOf(event)).toEqual(['booking_update', 'notification']);
    expect(await fannedOutAt(event)).not.toBeNull();
  });

  it('waits while another fan-out holds a fresh claim, and takes over a claim left by a worker that died', async () => {
    const event = await recordHostEvent();
    await env.ctx.db.event.update({ where: { id: event.id }, data: { pushClaimedAt: new Date() } });
    await fanOutEvents(env.ctx, [event.id]);
    expect(await pushesOf(event)).toEqual([]);
    expect(await fannedOutAt(event)).toBeNull();

    await env.ctx.db.event.update({
      where: { id: event.id },
      data: { pushClaimedAt: new Date(Date.now() - 5 * 60_000) },
    });
    await fanOutEvents(env.ctx, [event.id]);
    expect(await pushesOf(event)).toEqual(['booking_update', 'notification']);
    expect(await fannedOutAt(event)).not.toBeNull();
  });
});
