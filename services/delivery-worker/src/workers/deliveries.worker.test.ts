import { recordEvent } from '@bellhop/domain';
import {
  createAgentKey,
  createTestEnv,
  startReceiver,
  eventually,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';
import { generateSecret, verifyWebhook } from '@bellhop/webhooks';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startWorkers } from './index';

let env: TestEnv;
let workers: { close(): Promise<void> };
let agent: { agentId: string };
const receivers: Receiver[] = [];

async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

const booking = (type = 'booking.created') =>
  recordEvent(env.ctx, { type, data: { guest: 'Ana', nights: 2 }, bookingId: 'bkg_1', propertyId: 'prp_1' });

async function deliveryOf(subscriptionId: string, status: string) {
  return eventually(async () => {
    const d = await env.ctx.db.delivery.findFirst({
      where: { subscriptionId, status: status as never },
      include: { attemptLog: { orderBy: { number: 'asc' } } },
    });
    if (!d) throw new Error(`no ${status} delivery yet`);
    return d;
  }, 15_000);
}

beforeAll(async () => {
  env = await createTestEnv();
  agent = await createAgentKey(env.ctx);
  workers = await startWorkers(env.ctx);
});
afterAll(async () => {
  await workers.close();
  await Promise.all(receivers.map((r) => r.close()));
  await env.close();
});

describe('webhook delivery', () => {
  it('signs with Standard Webhooks, sends custom headers (never over its own User-Agent) and the bearer, and the body verifies', async () => {
    const r = await receiver();
    const { sub, secret } = await createSubscription(env.ctx, agent.agentId, `${r.url}/hook`, {
      headers: { 'X-Tenant': 'villa-42', 'User-Agent': 'not-bellhop/1.0' },
      apiKeyEncrypted: env.ctx.secrets.encrypt('agent-api-key'),
    });
    const event = await booking();
    const [req] = await r.waitForCount(1);
    expect(verifyWebhook(req.body, req.headers, secret)).toBeTruthy();
    expect(req.headers['webhook-id']).toBe(event.id);
    expect(req.headers['x-webhook-event']).toBe('booking.created');
    expect(req.headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(req.headers['x-tenant']).toBe('villa-42');
    expect(req.headers.authorization).toBe('Bearer agent-api-key');
    expect(req.headers['user-agent']).toMatch(/^Bellhop\/\d+\.\d+\.\d+/);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req.body)).toEqual({
      id: event.id,
      type: 'booking.created',
      event_type: 'booking.created',
      timestamp: event.createdAt.toISOString(),
      booking_id: 'bkg_1',
      property_id: 'prp_1',
      host_id: null,
      data: { guest: 'Ana', nights: 2 },
    });
    const delivery = await deliveryOf(sub.id, 'succeeded');
    expect(delivery.attemptLog).toHaveLength(1);
    const fresh = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: sub.id } });
    expect(fresh.lastSuccessfulCall).not.toBeNull();
  });

  it('retries 500, 500 then succeeds on 200, sending byte-identical bodies with one webhook-id', async () => {
    const r = await receiver((_req, n) => ({ status: n < 2 ? 500 : 200, body: n < 2 ? 'boom' : 'ok' }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url);
    await booking();
    const delivery = await deliveryOf(sub.id, 'succeeded');
    expect(delivery.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(delivery.attemptLog[0].responseExcerpt).toBe('boom');
    expect(r.requests).toHaveLength(3);
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    // One trace (the event's), a span of its own per attempt.
    const traceparents = r.requests.map((q) => String(q.headers.traceparent).split('-'));
    expect(new Set(traceparents.map(([, traceId]) => traceId)).size).toBe(1);
    expect(new Set(traceparents.map(([, , spanId]) => spanId)).size).toBe(3);
  });

  it("sends the recording request's trace as traceparent (a child span id) and tracestate, without an OTLP endpoint", async () => {
    const r = await receiver();
    await createSubscription(env.ctx, agent.agentId, r.url, { events: ['trace.checked'] });
    const trace = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      flags: 1,
      state: 'rojo=00f067aa0ba902b7',
    };
    await recordEvent(env.ctx, { type: 'trace.checked', data: {}, trace });
    const [req] = await r.waitForCount(1);
    expect(req.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(req.headers.traceparent).not.toContain(trace.spanId);
    expect(req.headers.tracestate).toBe('rojo=00f067aa0ba902b7');
  });

  it('waits at least Retry-After on a 503', async () => {
    const r = await receiver((_req, n) =>
      n === 0 ? { status: 503, headers: { 'Retry-After': '1' } } : { status: 200 },
    );
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url);
    await booking();
    await deliveryOf(sub.id, 'succeeded');
    expect(r.requests[1].receivedAt - r.requests[0].receivedAt).toBeGreaterThanOrEqual(900);
  });

  it('does not follow redirects: a 302 is a failed attempt', async () => {
    const target = await receiver();
    const r = await receiver(() => ({ status: 302, headers: { Location: `${target.url}/elsewhere` } }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, { maxRetries: 0, maxFailedAttempts: 100 });
    await booking();
    const delivery = await deliveryOf(sub.id, 'failed');
    expect(delivery.attemptLog.map((a) => a.statusCode)).toEqual([302]);
    expect(target.requests).toHaveLength(0);
  });

  it('treats a timeout as a failed attempt and retries', async () => {
    const r = await receiver((_req, n) => (n === 0 ? { status: 200, delayMs: 1500 } : { status: 200 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, { timeoutMs: 1000 });
    await booking();
    const delivery = await deliveryOf(sub.id, 'succeeded');
    expect(delivery.attemptLog).toHaveLength(2);
    expect(delivery.attemptLog[0].statusCode).toBeNull();
    expect(delivery.attemptLog[0].error).toMatch(/timeout|abort|cancel/i);
  });

  it('signs with both secrets while a rotated-out one is still valid', async () => {
    const r = await receiver();
    const old = generateSecret();
    const { sub, secret } = await createSubscription(env.ctx, agent.agentId, r.url, {
      previousSecrets: [
        { secret_encrypted: env.ctx.secrets.encrypt(old), expires_at: new Date(Date.now() + 3_600_000).toISOString() },
      ],
    });
    await booking();
    const [req] = await r.waitForCount(1);
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(req.body, req.headers, secret)).toBeTruthy();
    expect(verifyWebhook(req.body, req.headers, old)).toBeTruthy();
    await deliveryOf(sub.id, 'succeeded');
  });

  it('fans out to exact, prefix-wildcard and catch-all subscriptions only', async () => {
    const r = await receiver();
    const subs = await Promise.all(
      [['booking.cancelled'], ['booking.*'], ['*'], ['guest.*']].map((events, i) =>
        createSubscription(env.ctx, agent.agentId, `${r.url}/${i}`, { events }),
      ),
    );
    await booking('booking.cancelled');
    await r.waitForCount(3);
    await new Promise((done) => setTimeout(done, 300));
    expect(r.requests.map((q) => q.path).sort()).toEqual(['/0', '/1', '/2']);
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: subs[3].sub.id } })).toBe(0);
  });

  it('disables a subscription at once on 410 Gone', async () => {
    const r = await receiver(() => ({ status: 410 }));
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url);
    await booking();
    await deliveryOf(sub.id, 'failed');
    const fresh = await eventually(async () => {
      const s = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: sub.id } });
      if (s.isActive) throw new Error('still active');
      return s;
    });
    expect(fresh.disabledReason).toMatch(/410/);
    expect(fresh.disabledAt).not.toBeNull();
    expect(r.requests).toHaveLength(1);
  });

  it("disables after max_failed_attempts exhausted deliveries and tells only the owner's other subscriptions", async () => {
    const owner = await createAgentKey(env.ctx, { name: 'owner-agent' });
    const stranger = await createAgentKey(env.ctx, { name: 'stranger-agent' });
    const failing = await receiver(() => ({ status: 500 }));
    const watcher = await receiver();
    const outsider = await receiver();
    const { sub } = await createSubscription(env.ctx, owner.agentId, failing.url, {
      events: ['booking.*'],
      maxRetries: 1,
      maxFailedAttempts: 2,
    });
    const { sub: other } = await createSubscription(env.ctx, owner.agentId, watcher.url, {
      events: ['subscription.disabled'],
    });
    await createSubscription(env.ctx, stranger.agentId, outsider.url, { events: ['subscription.*'] });
    await booking();
    await booking();
    const [notice] = await watcher.waitForCount(1, 15_000);
    const body = JSON.parse(notice.body);
    expect(body.type).toBe('subscription.disabled');
    expect(body.data.subscription_id).toBe(sub.id);
    const fresh = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: sub.id } });
    expect(fresh).toMatchObject({ isActive: false, failedAttempts: 2 });
    expect(fresh.disabledReason).toMatch(/2 deliveries/);
    expect(failing.requests).toHaveLength(4);
    await deliveryOf(other.id, 'succeeded');
    await new Promise((done) => setTimeout(done, 300));
    expect(outsider.requests).toHaveLength(0);
  });

  it('holds a subscription to its rate limit without counting the waits as attempts', async () => {
    const r = await receiver();
    const { sub } = await createSubscription(env.ctx, agent.agentId, r.url, {
      events: ['booking.paid'],
      rateLimitPerSecond: 2,
    });
    await Promise.all(Array.from({ length: 6 }, () => booking('booking.paid')));
    await r.waitForCount(6, 15_000);
    const times = r.requests.map((q) => q.receivedAt).sort((x, y) => x - y);
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(1000);
    await eventually(async () => {
      const rows = await env.ctx.db.delivery.findMany({ where: { subscriptionId: sub.id } });
      if (rows.some((d) => d.status !== 'succeeded')) throw new Error('not all succeeded');
      expect(rows.map((d) => d.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
    });
  });
});
