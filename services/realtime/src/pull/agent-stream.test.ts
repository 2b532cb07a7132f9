import type { AddressInfo } from 'node:net';
import { createPullMessages, createSubscription, fanOutEvents, recordEvent, purgeExpiredData } from '@bellhop/domain';
import { createAgentKey, createHostWithToken, createTestEnv, eventually, type TestEnv } from '@bellhop/testing';
import { verifyWebhook } from '@bellhop/webhooks';
import { openStream } from '../__tests__/sse-client';
import { startRealtime, type RunningRealtime } from '../realtime';
import { PullStream } from './pull-stream';

let env: TestEnv;
let realtime: RunningRealtime;
let base: string;
let agent: Awaited<ReturnType<typeof createAgentKey>>;
let hostId: string;
const streams: Array<{ close(): void }> = [];
const track = <T extends { close(): void }>(s: T) => {
  streams.push(s);
  return s;
};
const streamUrl = (subscriptionId: string) => `${base}/api/v1/agents/stream?subscription=${subscriptionId}`;

beforeAll(async () => {
  env = await createTestEnv({ SSE_HEARTBEAT_INTERVAL: '0.2' });
  realtime = await startRealtime(env.config, env.ctx.logger, 0);
  base = `http://127.0.0.1:${(realtime.server.address() as AddressInfo).port}`;
  agent = await createAgentKey(env.ctx);
  ({ hostId } = await createHostWithToken(env.ctx));
});
afterEach(() => {
  while (streams.length) streams.pop()!.close();
});
afterAll(async () => {
  await realtime.stop();
  await env.close();
});

async function pullSubscription() {
  return createSubscription(env.ctx, agent.agentId, { agent_name: 'offline', delivery: 'pull', events: ['booking.*'] });
}

/** Records booking events and fans them out, as the API and the worker do. */
async function record(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await recordEvent(env.ctx, { type: 'booking.created', data: { n: i }, hostId })).id);
  await fanOutEvents(env.ctx, ids);
  return ids;
}

const messagesOf = (stream: ReturnType<typeof openStream>) =>
  stream.of('message').map((m) => ({ cursor: m.id, event: (m.data as { id: string }).id }));

describe('GET /api/v1/agents/stream', () => {
  it('refuses a missing key (401), a missing subscription (400), a push subscription (409) and another agent (404)', async () => {
    const { subscription } = await pullSubscription();
    expect((await fetch(streamUrl(subscription.id))).status).toBe(401);
    const noParam = await fetch(`${base}/api/v1/agents/stream`, { headers: { Authorization: agent.auth } });
    expect(noParam.status).toBe(400);
    expect(((await noParam.json()) as { error: { details: { field: string }[] } }).error.details[0].field).toBe(
      'subscription',
    );
    const push = await createSubscription(env.ctx, agent.agentId, {
      agent_name: 'pusher',
      webhook_url: 'http://127.0.0.1:9/hook',
      events: ['booking.*'],
    });
    expect((await fetch(streamUrl(push.subscription.id), { headers: { Authorization: agent.auth } })).status).toBe(409);
    const other = await createAgentKey(env.ctx, { name: 'other' });
    expect((await fetch(streamUrl(subscription.id), { headers: { Authorization: other.auth } })).status).toBe(404);
  });

  it('sends messages live with the cursor as id, signed as a push; resumes after a disconnect with nothing lost or repeated', async () => {
    const { subscription, secret } = await pullSubscription();
    const first = track(openStream(streamUrl(subscription.id), agent.auth));
    await first.waitFor('connected');
    const early = await record(2);
    await first.waitFor('message', 2);
    expect(messagesOf(first)).toEqual([
      { cursor: '1', event: early[0] },
      { cursor: '2', event: early[1] },
    ]);
    for (const { data } of first.of('message')) {
      const message = data as { body: string; headers: Record<string, string> };
      expect(verifyWebhook(message.body, message.headers, secret)).toMatchObject({ type: 'booking.created' });
    }
    first.close();

    const missed = await record(2); // while nobody listens
    const resumed = track(openStream(streamUrl(subscription.id), agent.auth, { 'Last-Event-ID': '2' }));
    await resumed.waitFor('message', 2);
    const live = await record(1);
    await resumed.waitFor('message', 3);
    expect(messagesOf(resumed)).toEqual([
      { cursor: '3', event: missed[0] },
      { cursor: '4', event: missed[1] },
      { cursor: '5', event: live[0] },
    ]);
    expect(resumed.of('connected')[0].data).toMatchObject({ resumed: true, cursor: '2' });
  });

  it('starts after the acknowledged cursor without Last-Event-ID', async () => {
    const { subscription } = await pullSubscription();
    const events = await record(3);
    await env.ctx.sql.query('UPDATE webhook_subscriptions SET pull_acked_seq = 2 WHERE id = $1', [subscription.id]);
    const stream = track(openStream(streamUrl(subscription.id), agent.auth));
    await stream.waitFor('message');
    await stream.waitFor('heartbeat', 2);
    expect(messagesOf(stream)).toEqual([{ cursor: '3', event: events[2] }]);
  });

  it('still delivers a message whose signal Redis lost: the next heartbeat reads Postgres', async () => {
    const { subscription } = await pullSubscription();
    const stream = track(openStream(streamUrl(subscription.id), agent.auth));
    await stream.waitFor('connected');
    const event = await recordEvent(env.ctx, { type: 'booking.created', data: {}, hostId });
    const prefixBefore = env.ctx.config.QUEUE_PREFIX;
    // Stored with its signal sent where no realtime process listens: as if Redis dropped it.
    await createPullMessages({ ...env.ctx, config: { ...env.ctx.config, QUEUE_PREFIX: `${prefixBefore}-elsewhere` } }, [
      { eventId: event.id, subscriptionId: subscription.id },
    ]);
    await stream.waitFor('message');
    expect(messagesOf(stream)).toEqual([{ cursor: '1', event: event.id }]);
  });

  it('sends `resync` when Last-Event-ID is older than retention keeps, then goes on from the oldest message kept', async () => {
    const { subscription } = await pullSubscription();
    const events = await record(3);
    const past = new Date(Date.now() - env.config.DATA_RETENTION - 60_000);
    await env.ctx.db.delivery.updateMany({
      where: { subscriptionId: subscription.id, pullSeq: { lte: 2 } },
      data: { createdAt: past },
    });
    await purgeExpiredData(env.ctx);
    const stream = track(openStream(streamUrl(subscription.id), agent.auth, { 'Last-Event-ID': '1' }));
    await stream.waitFor('message');
    expect(stream.of('resync')[0].data).toMatchObject({ reason: 'history_trimmed', oldest_cursor: '2' });
    expect(messagesOf(stream)).toEqual([{ cursor: '3', event: events[2] }]);
    await eventually(() => expect(stream.events.map((e) => e.type).slice(0, 2)).toEqual(['connected', 'resync']));
  });

  it('writes nothing before its headers went out: a beat or a signal while it subscribes waits for start()', async () => {
    const { subscription } = await pullSubscription();
    const events = await record(1);
    const written: string[] = [];
    const res = { write: (text: string) => written.push(text) > 0, end: () => undefined };
    const stream = new PullStream(env.ctx, agent.agentId, subscription, res as never, 0n, (error) => {
      throw error;
    });
    await stream.heartbeat();
    await stream.catchUp();
    expect(written).toEqual([]);
    await stream.start();
    expect(written.join('')).toContain(`"id":"${events[0]}"`);
    stream.close();
  });
});
