import type { Express } from 'express';
import request from 'supertest';
import { fanOutEvents, purgeExpiredData } from '@bellhop/domain';
import { createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { verifyWebhook } from '@bellhop/webhooks';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
let agent: { agentId: string; auth: string };
let hostId: string;
const subs = '/api/v1/external/webhook-subscriptions';

beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_SCALE: '100' });
  app = createApp({ ctx: env.ctx });
  agent = await createAgentKey(env.ctx);
  ({ hostId } = await createHostWithToken(env.ctx));
});
afterAll(async () => {
  await env.close();
});

async function createPull(body: Record<string, unknown> = {}) {
  const res = await request(app)
    .post(subs)
    .set('Authorization', agent.auth)
    .send({ agent_name: 'offline agent', delivery: 'pull', events: ['booking.*'], ...body })
    .expect(201);
  return res.body.data as { id: string; secret: string; delivery: string; webhook_url: string | null };
}

/** Records booking events through the API and fans them out as the worker would. */
async function record(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(app)
      .post('/api/v1/external/events')
      .set('Authorization', agent.auth)
      .send({ type: 'booking.created', host_id: hostId, data: { n: i } })
      .expect(202);
    ids.push(res.body.data.event_id);
  }
  await fanOutEvents(env.ctx, ids);
  return ids;
}

const read = (subId: string, query = '') =>
  request(app).get(`${subs}/${subId}/messages${query}`).set('Authorization', agent.auth);
const ack = (subId: string, cursor: unknown) =>
  request(app).post(`${subs}/${subId}/messages/ack`).set('Authorization', agent.auth).send({ cursor });

describe('creating a pull subscription', () => {
  it('needs no webhook_url, answers delivery "pull", and push stays the default', async () => {
    const sub = await createPull();
    expect(sub).toMatchObject({ delivery: 'pull', webhook_url: null });
    const push = await request(app)
      .post(subs)
      .set('Authorization', agent.auth)
      .send({ agent_name: 'pusher', webhook_url: 'http://127.0.0.1:9/hook', events: ['booking.*'] })
      .expect(201);
    expect(push.body.data.delivery).toBe('push');
  });

  it('refuses a webhook_url or push-only fields for pull, and a push subscription without a URL, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ delivery: 'pull', webhook_url: 'http://127.0.0.1:9/hook' }, 'webhook_url'],
      [{ delivery: 'pull', headers: { 'X-Tenant': 'a' } }, 'headers'],
      [{ delivery: 'pull', timeout_ms: 5000 }, 'timeout_ms'],
      [{ delivery: 'pull', ordering: 'booking' }, 'ordering'],
      [{ delivery: 'pull', circuit_breaker: { enabled: true } }, 'circuit_breaker'],
      [{ delivery: 'push' }, 'webhook_url'],
      [{}, 'webhook_url'],
      [{ delivery: 'carrier-pigeon' }, 'delivery'],
    ];
    const before = await env.ctx.db.webhookSubscription.count();
    for (const [body, field] of cases) {
      const res = await request(app)
        .post(subs)
        .set('Authorization', agent.auth)
        .send({ agent_name: 'x', events: ['booking.*'], ...body })
        .expect(400);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect(await env.ctx.db.webhookSubscription.count()).toBe(before);
  });

  it('refuses to switch between push and pull afterwards (400 naming delivery), and push-only fields on PATCH', async () => {
    const sub = await createPull();
    const patch = (body: object) =>
      request(app).patch(`${subs}/${sub.id}`).set('Authorization', agent.auth).send(body).expect(400);
    expect((await patch({ delivery: 'push', webhook_url: 'http://127.0.0.1:9/x' })).body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'delivery' })]),
    );
    expect((await patch({ api_key: 'token' })).body.error.details[0].field).toBe('api_key');
    const renamed = await request(app)
      .put(`${subs}/${sub.id}`)
      .set('Authorization', agent.auth)
      .send({ agent_name: 'renamed', events: ['booking.*'] })
      .expect(200);
    expect(renamed.body.data).toMatchObject({ agent_name: 'renamed', delivery: 'pull', webhook_url: null });
  });
});

describe('reading messages', () => {
  it('gives them oldest first in pages of `limit`, each with the exact body and headers that verify as a push', async () => {
    const sub = await createPull();
    const events = await record(3);
    const first = await read(sub.id, '?limit=2').expect(200);
    expect(first.body.data.items.map((m: { id: string }) => m.id)).toEqual(events.slice(0, 2));
    expect(first.body.data).toMatchObject({ has_more: true, next_cursor: '2', resync: false, acked_cursor: '0' });
    const second = await read(sub.id, `?after=${first.body.data.next_cursor}`).expect(200);
    expect(second.body.data.items.map((m: { id: string }) => m.id)).toEqual(events.slice(2));
    expect(second.body.data).toMatchObject({ has_more: false, next_cursor: '3' });
    const empty = await read(sub.id, '?after=3').expect(200);
    expect(empty.body.data).toMatchObject({ items: [], next_cursor: '3' });

    for (const message of [...first.body.data.items, ...second.body.data.items]) {
      const verified = verifyWebhook(message.body, message.headers, sub.secret) as { id: string; type: string };
      expect(verified).toMatchObject({ id: message.id, type: 'booking.created' });
      expect(message.headers['webhook-id']).toBe(message.id);
    }
    expect(() =>
      verifyWebhook(
        first.body.data.items[0].body.replace('"n":0', '"n":9'),
        first.body.data.items[0].headers,
        sub.secret,
      ),
    ).toThrow();
  });

  it('answers 400 naming `after` for a malformed cursor or one past the last message, and `limit` out of range', async () => {
    const sub = await createPull();
    await record(1);
    for (const query of ['?after=abc', '?after=-1', '?after=01', '?after=2']) {
      const res = await read(sub.id, query).expect(400);
      expect(res.body.error.details[0].field).toBe('after');
    }
    for (const query of ['?limit=0', '?limit=501'])
      expect((await read(sub.id, query).expect(400)).body.error.details[0].field).toBe('limit');
  });

  it('answers 409 for a push subscription and 404 for another agent', async () => {
    const push = await request(app)
      .post(subs)
      .set('Authorization', agent.auth)
      .send({ agent_name: 'pusher', webhook_url: 'http://127.0.0.1:9/hook', events: ['booking.*'] })
      .expect(201);
    expect((await read(push.body.data.id).expect(409)).body.error.code).toBe('push_subscription');
    const sub = await createPull();
    const other = await createAgentKey(env.ctx, { name: 'other' });
    await request(app).get(`${subs}/${sub.id}/messages`).set('Authorization', other.auth).expect(404);
    await request(app)
      .post(`${subs}/${sub.id}/messages/ack`)
      .set('Authorization', other.auth)
      .send({ cursor: '0' })
      .expect(404);
  });
});

describe('acknowledging', () => {
  it('marks every message up to the cursor delivered, is idempotent, never moves back, and GET then starts after it', async () => {
    const sub = await createPull();
    const events = await record(3);
    expect((await ack(sub.id, '2').expect(200)).body.data).toEqual({ acked_cursor: '2', delivered: 2 });
    expect((await ack(sub.id, '2').expect(200)).body.data).toEqual({ acked_cursor: '2', delivered: 0 });
    expect((await ack(sub.id, '1').expect(200)).body.data).toEqual({ acked_cursor: '2', delivered: 0 });

    const statuses = await env.ctx.db.delivery.findMany({
      where: { subscriptionId: sub.id },
      orderBy: { pullSeq: 'asc' },
      select: { status: true, completedAt: true },
    });
    expect(statuses.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'pending']);

    const next = await read(sub.id).expect(200);
    expect(next.body.data.items.map((m: { id: string }) => m.id)).toEqual([events[2]]);
    expect(next.body.data.acked_cursor).toBe('2');
    const again = await read(sub.id, '?after=0').expect(200);
    expect(again.body.data.items.map((m: { delivered: boolean }) => m.delivered)).toEqual([true, true, false]);

    const stats = await request(app).get(`${subs}/${sub.id}/stats`).set('Authorization', agent.auth).expect(200);
    expect(stats.body.data.counts).toMatchObject({ succeeded: 2, pending: 1 });
  });

  it('refuses a cursor past the last message or malformed (400 naming cursor) and writes nothing', async () => {
    const sub = await createPull();
    await record(1);
    for (const cursor of ['2', 'x', 7]) {
      const res = await ack(sub.id, cursor).expect(400);
      expect(res.body.error.details[0].field).toBe('cursor');
    }
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id, status: 'succeeded' } })).toBe(0);
  });
});

describe('the other delivery endpoints on a pull subscription', () => {
  it('a test event becomes a message at once; retry and recover answer 409 pull_subscription and write nothing', async () => {
    const sub = await createPull();
    const test = await request(app)
      .post('/api/v1/external/webhooks/test')
      .set('Authorization', agent.auth)
      .send({ subscription_id: sub.id })
      .expect(202);
    const page = await read(sub.id).expect(200);
    expect(page.body.data.items).toEqual([
      expect.objectContaining({ cursor: '1', id: test.body.data.event_id, event_type: 'webhook.test' }),
    ]);
    expect(page.body.data.items[0].delivery_id).toBe(test.body.data.delivery_id);

    await ack(sub.id, '1').expect(200);
    const retry = await request(app)
      .post(`/api/v1/external/deliveries/${test.body.data.delivery_id}/retry`)
      .set('Authorization', agent.auth)
      .expect(409);
    expect(retry.body.error.code).toBe('pull_subscription');
    const recover = await request(app)
      .post(`${subs}/${sub.id}/recover`)
      .set('Authorization', agent.auth)
      .send({ since: new Date(Date.now() - 60_000).toISOString() })
      .expect(409);
    expect(recover.body.error.code).toBe('pull_subscription');
    expect(await env.ctx.db.recovery.count({ where: { subscriptionId: sub.id } })).toBe(0);
  });
});

describe('retention', () => {
  it('purges pull messages past DATA_RETENTION, read or not, and a reader behind them is told to resync', async () => {
    const sub = await createPull();
    await record(3);
    const past = new Date(Date.now() - env.config.DATA_RETENTION - 60_000);
    await env.ctx.db.delivery.updateMany({
      where: { subscriptionId: sub.id, pullSeq: { lte: 2 } },
      data: { createdAt: past },
    });
    await ack(sub.id, '1').expect(200);
    await purgeExpiredData(env.ctx);
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub.id } })).toBe(1);

    const behind = await read(sub.id, '?after=0').expect(200);
    expect(behind.body.data).toMatchObject({ resync: true, oldest_cursor: '2', next_cursor: '3' });
    expect(behind.body.data.items.map((m: { cursor: string }) => m.cursor)).toEqual(['3']);
    const current = await read(sub.id, '?after=2').expect(200);
    expect(current.body.data).toMatchObject({ resync: false });
  });
});
