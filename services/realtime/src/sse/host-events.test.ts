import type { AddressInfo } from 'node:net';
import {
  announceToAllHosts,
  createNotification,
  OPERATOR,
  publishEventToHost,
  recordEvent,
  sendHostEvent,
} from '@bellhop/domain';
import { createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { openStream } from '../__tests__/sse-client';
import { startRealtime, type RunningRealtime } from '../realtime';

let env: TestEnv;
let realtime: RunningRealtime;
let base: string;
const streams: Array<{ close(): void }> = [];
const track = <T extends { close(): void }>(s: T) => {
  streams.push(s);
  return s;
};
const eventsUrl = (hostId: string, query = '') => `${base}/api/v1/hosts/${hostId}/events${query}`;

beforeAll(async () => {
  env = await createTestEnv({ SSE_HEARTBEAT_INTERVAL: '0.2' });
  realtime = await startRealtime(env.config, env.ctx.logger, 0);
  base = `http://127.0.0.1:${(realtime.server.address() as AddressInfo).port}`;
});
afterEach(() => {
  while (streams.length) streams.pop()!.close();
});
afterAll(async () => {
  await realtime.stop();
  await env.close();
});

describe('GET /api/v1/hosts/:hostId/events', () => {
  it('refuses a missing or invalid token with 401 and another host with 403, before any stream opens', async () => {
    const host = await createHostWithToken(env.ctx);
    const other = await createHostWithToken(env.ctx);
    const none = await fetch(eventsUrl(host.hostId));
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await fetch(eventsUrl(host.hostId), { headers: { Authorization: 'Bearer not.a.jwt' } })).status).toBe(401);
    const foreign = await fetch(eventsUrl(host.hostId), { headers: { Authorization: other.auth } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(eventsUrl(host.hostId, `?access_token=${other.token}`))).status).toBe(403);
  });

  it('opens an event stream with the documented headers, a retry hint, connected, and heartbeats', async () => {
    const host = await createHostWithToken(env.ctx);
    const controller = new AbortController();
    const res = await fetch(eventsUrl(host.hostId), {
      headers: { Authorization: host.auth },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: heartbeat')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toMatch(/^retry: 3000\n\n/);
    expect(text).toMatch(/id: \d+-\d+\nevent: connected\ndata: \{"server_time":"[^"]+","resumed":false\}/);
    expect(text).toContain(': ping\n\n');
  });

  it('delivers a new notification and the new counts live (token in the query string works too)', async () => {
    const host = await createHostWithToken(env.ctx);
    const stream = track(openStream(eventsUrl(host.hostId, `?access_token=${host.token}`)));
    await stream.waitFor('connected');
    await createNotification(env.ctx, OPERATOR, host.hostId, {
      type: 'guest_message',
      title: 'New guest message',
      message: 'Early check-in?',
      priority: 'high',
    });
    const [notification] = await stream.waitFor('notification', 1, 1000);
    expect(notification.data).toMatchObject({
      host_id: host.hostId,
      type: 'guest_message',
      title: 'New guest message',
      priority: 'high',
      read: false,
    });
    expect(notification.id).toMatch(/^\d+-\d+$/);
    const [counts] = await stream.waitFor('counts');
    expect(counts.data).toEqual({ unread: 1, total: 1, by_priority: { high: 1, medium: 0, low: 0 } });
    await stream.waitFor('heartbeat', 2);
  });

  it('turns booking.created into a new_booking notification and a booking_update on the stream', async () => {
    const host = await createHostWithToken(env.ctx);
    const stream = track(openStream(eventsUrl(host.hostId), host.auth));
    await stream.waitFor('connected');
    const event = await recordEvent(env.ctx, {
      type: 'booking.created',
      hostId: host.hostId,
      data: { guest_name: 'Ana Silva', check_in: '2026-12-01', check_out: '2026-12-04' },
    });
    await publishEventToHost(env.ctx, event); // as the fan-out worker does
    const [notification] = await stream.waitFor('notification', 1, 1000);
    expect(notification.data).toMatchObject({
      type: 'new_booking',
      priority: 'high',
      action_required: true,
      title: 'New booking request',
    });
    expect(notification.data.message).toContain('Ana Silva');
    const [update] = await stream.waitFor('booking_update');
    expect(update.data).toMatchObject({ event_id: event.id, type: 'booking.created' });
  });

  it('replays exactly the missed events, in order, after Last-Event-ID (header or query)', async () => {
    const host = await createHostWithToken(env.ctx);
    const first = track(openStream(eventsUrl(host.hostId), host.auth));
    await first.waitFor('connected');
    await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 1 });
    const [seen] = await first.waitFor('custom');
    first.close();
    for (const n of [2, 3, 4]) await sendHostEvent(env.ctx, host.hostId, 'custom', { n });

    const resumed = track(openStream(eventsUrl(host.hostId), host.auth, { 'Last-Event-ID': seen.id }));
    const [connected] = await resumed.waitFor('connected');
    expect(connected.data).toMatchObject({ resumed: true, replayed: 3 });
    await resumed.waitFor('custom', 3);
    await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 5 });
    const all = await resumed.waitFor('custom', 4);
    expect(all.map((e) => e.data.n)).toEqual([2, 3, 4, 5]);
    expect(new Set(all.map((e) => e.id)).size).toBe(4);

    const viaQuery = track(openStream(eventsUrl(host.hostId, `?last_event_id=${all[1].id}`), host.auth));
    expect((await viaQuery.waitFor('custom', 2)).map((e) => e.data.n)).toEqual([4, 5]);
    expect(viaQuery.of('resync')).toHaveLength(0);
  });

  it('sends a system announcement to every connected host', async () => {
    const [a, b] = [await createHostWithToken(env.ctx), await createHostWithToken(env.ctx)];
    const streamA = track(openStream(eventsUrl(a.hostId), a.auth));
    const streamB = track(openStream(eventsUrl(b.hostId), b.auth));
    await Promise.all([streamA.waitFor('connected'), streamB.waitFor('connected')]);
    await announceToAllHosts(env.ctx, { title: 'Maintenance', message: 'Tonight 02:00 UTC', level: 'warning' });
    for (const stream of [streamA, streamB]) {
      const [announcement] = await stream.waitFor('system_announcement');
      expect(announcement.data).toMatchObject({ title: 'Maintenance', level: 'warning' });
    }
  });
});
