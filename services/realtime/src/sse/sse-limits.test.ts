import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSubscription, sendHostEvent } from '@bellhop/domain';
import { createAgentKey, createHostWithToken, createTestEnv, eventually, type TestEnv } from '@bellhop/testing';
import { openStream } from '../__tests__/sse-client';
import { startRealtime, type RunningRealtime } from '../realtime';

let env: TestEnv;
let realtime: RunningRealtime;
let base: string;
const eventsUrl = (hostId: string) => `${base}/api/v1/hosts/${hostId}/events`;

beforeAll(async () => {
  env = await createTestEnv({
    SSE_HISTORY: '3',
    SSE_MAX_CONNECTIONS: '2',
    SSE_MAX_CONNECTIONS_PER_HOST: '1',
    SSE_MAX_BUFFERED_BYTES: '65536',
    AUTH_FAILURE_LIMIT: '2',
  });
  realtime = await startRealtime(env.config, env.ctx.logger, 0);
  base = `http://127.0.0.1:${(realtime.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await realtime.stop();
  await env.close();
});

describe('SSE history and limits', () => {
  it('sends resync when the missed events were trimmed from the capped history', async () => {
    const host = await createHostWithToken(env.ctx);
    const first = await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 1 });
    for (const n of [2, 3, 4, 5]) await sendHostEvent(env.ctx, host.hostId, 'custom', { n });
    const stream = openStream(eventsUrl(host.hostId), host.auth, { 'Last-Event-ID': first });
    try {
      const [resync] = await stream.waitFor('resync');
      expect(resync.data).toMatchObject({ reason: 'history_trimmed', last_event_id: first });
      expect(stream.of('custom')).toHaveLength(0);
      await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 6 });
      expect((await stream.waitFor('custom')).map((e) => e.data.n)).toEqual([6]);
    } finally {
      stream.close();
    }
  });

  it('answers 429 past the per-host cap and 503 with Retry-After when the process is full', async () => {
    const [a, b, c] = [
      await createHostWithToken(env.ctx),
      await createHostWithToken(env.ctx),
      await createHostWithToken(env.ctx),
    ];
    const streamA = openStream(eventsUrl(a.hostId), a.auth);
    const streamB = openStream(eventsUrl(b.hostId), b.auth);
    try {
      await Promise.all([streamA.waitFor('connected'), streamB.waitFor('connected')]);
      const sameHost = await fetch(eventsUrl(a.hostId), { headers: { Authorization: a.auth } });
      expect(sameHost.status).toBe(429);
      const full = await fetch(eventsUrl(c.hostId), { headers: { Authorization: c.auth } });
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBe('5');
      expect(await full.json()).toMatchObject({ success: false, error: { code: 'too_many_connections' } });
    } finally {
      streamA.close();
      streamB.close();
    }
    // A closed stream frees its slot.
    await eventually(() => expect(realtime.hub.size).toBe(0));
    const later = openStream(eventsUrl(c.hostId), c.auth);
    try {
      await later.waitFor('connected');
    } finally {
      later.close();
    }
  });

  it("counts agents' pull streams toward SSE_MAX_CONNECTIONS with host streams", async () => {
    const [a, b] = [await createHostWithToken(env.ctx), await createHostWithToken(env.ctx)];
    const agent = await createAgentKey(env.ctx);
    const pullStreamUrl = async () => {
      const { subscription } = await createSubscription(env.ctx, agent.agentId, {
        agent_name: 'offline',
        delivery: 'pull',
        events: ['booking.*'],
      });
      return `${base}/api/v1/agents/stream?subscription=${subscription.id}`;
    };
    const host = openStream(eventsUrl(a.hostId), a.auth);
    const pull = openStream(await pullStreamUrl(), agent.auth);
    try {
      await Promise.all([host.waitFor('connected'), pull.waitFor('connected')]);
      const hostRefused = await fetch(eventsUrl(b.hostId), { headers: { Authorization: b.auth } });
      expect(hostRefused.status).toBe(503);
      const pullRefused = await fetch(await pullStreamUrl(), { headers: { Authorization: agent.auth } });
      expect(pullRefused.status).toBe(503);
      expect(pullRefused.headers.get('retry-after')).toBe('5');
      expect(await pullRefused.json()).toMatchObject({ success: false, error: { code: 'too_many_connections' } });
    } finally {
      host.close();
      pull.close();
    }
    await eventually(() => expect(realtime.hub.size).toBe(0));
  });

  it('refuses an address past AUTH_FAILURE_LIMIT made-up API keys on the agent stream with 429, before any lookup', async () => {
    const agent = await createAgentKey(env.ctx);
    const { subscription } = await createSubscription(env.ctx, agent.agentId, {
      agent_name: 'offline',
      delivery: 'pull',
      events: ['booking.*'],
    });
    const url = `${base}/api/v1/agents/stream?subscription=${subscription.id}`;
    const attempt = (from: string, auth: string) =>
      fetch(url, { headers: { Authorization: auth, 'X-Forwarded-For': from } });
    for (let i = 0; i < 3; i++)
      expect((await attempt('198.51.100.7', `Bearer bh_made_up_${i}_key_padding`)).status).toBe(401);
    const blocked = await attempt('198.51.100.7', agent.auth); // even a good key, from that address
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await blocked.json()).toMatchObject({ error: { code: 'too_many_failed_authentications' } });
    const other = await attempt('198.51.100.8', agent.auth);
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it('drops a client that stops reading once its unsent output passes the bound, and keeps one that reads', async () => {
    const [stalled, reading] = [await createHostWithToken(env.ctx), await createHostWithToken(env.ctx)];
    const res = await new Promise<IncomingMessage>((resolve) =>
      get(eventsUrl(stalled.hostId), { headers: { Authorization: stalled.auth } }, resolve),
    );
    res.pause(); // never reads again
    const healthy = openStream(eventsUrl(reading.hostId), reading.auth);
    try {
      await healthy.waitFor('connected');
      const chunk = 'x'.repeat(4096);
      let sent = 0;
      for (; sent < 5000 && realtime.hub.size > 1; sent += 1) {
        await Promise.all([
          sendHostEvent(env.ctx, stalled.hostId, 'custom', { chunk }),
          sendHostEvent(env.ctx, reading.hostId, 'custom', { chunk }),
        ]);
      }
      await eventually(() => expect(realtime.hub.size).toBe(1));
      await healthy.waitFor('custom', sent);
      expect(healthy.of('connected')).toHaveLength(1);
    } finally {
      healthy.close();
      res.destroy();
    }
  });
});
