import type { Express } from 'express';
import request from 'supertest';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

const base = '/api/v1/external/webhook-subscriptions';
let env: TestEnv;
let app: Express;
let auth: string;
beforeAll(async () => {
  // https only and the address guard on; every refused URL below is an IP literal, so nothing is resolved or contacted.
  env = await createTestEnv({ WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
  app = createApp({ ctx: env.ctx });
  auth = (await createAgentKey(env.ctx, { scopes: ['webhooks:read', 'webhooks:write'] })).auth;
});
afterAll(async () => {
  await env.close();
});

const valid = { agent_name: 'agent', webhook_url: 'https://93.184.215.14/hooks', events: ['booking.created'] };
const create = (body: Record<string, unknown>) =>
  request(app)
    .post(base)
    .set('Authorization', auth)
    .send({ ...valid, ...body });
const fields = (res: request.Response) => (res.body.error?.details ?? []).map((d: { field: string }) => d.field);

async function expectRefused(body: Record<string, unknown>, field: string) {
  const res = await create(body);
  expect({ body, status: res.status, fields: fields(res) }).toEqual({
    body,
    status: 400,
    fields: expect.arrayContaining([field]),
  });
  return res;
}

describe('subscription validation', () => {
  it('accepts a public https target', async () => {
    expect((await create({})).status).toBe(201);
  });

  it.each([
    ['not a URL', 'not a url'],
    ['relative', '/hooks'],
    ['ftp scheme', 'ftp://93.184.215.14/x'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['plain http', 'http://93.184.215.14/hooks'],
    ['credentials', 'https://user:pass@93.184.215.14/hooks'],
    ['too long', `https://93.184.215.14/${'a'.repeat(2100)}`],
  ])('refuses webhook_url: %s', async (_label, url) => {
    await expectRefused({ webhook_url: url }, 'webhook_url');
  });

  it.each([
    ['IPv4 loopback', 'https://127.0.0.1/x'],
    ['metadata address', 'https://169.254.169.254/latest'],
    ['private 10/8', 'https://10.1.2.3/x'],
    ['decimal IPv4', 'https://2130706433/x'],
    ['octal IPv4', 'https://0177.0.0.1/x'],
    ['hex IPv4', 'https://0x7f.1/x'],
    ['IPv6 loopback', 'https://[::1]/x'],
    ['IPv6 unique-local', 'https://[fd12:3456::1]/x'],
    ['IPv6 link-local', 'https://[fe80::1]/x'],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/x'],
    ['IPv4-mapped hex', 'https://[::ffff:a9fe:a9fe]/x'],
    ['unspecified', 'https://0.0.0.0/x'],
    ['multicast', 'https://224.0.0.1/x'],
    ['localhost name', 'https://localhost/x'],
    ['trailing-dot localhost', 'https://api.localhost./x'],
  ])('refuses a non-public target: %s', async (_label, url) => {
    const res = await expectRefused({ webhook_url: url }, 'webhook_url');
    expect(res.body.error.code).toBe('invalid_webhook_url');
  });

  it('re-validates the URL on PATCH and PUT', async () => {
    const id = (await create({})).body.data.id;
    const patched = await request(app)
      .patch(`${base}/${id}`)
      .set('Authorization', auth)
      .send({ webhook_url: 'https://[::1]/x' });
    expect(patched.status).toBe(400);
    const put = await request(app)
      .put(`${base}/${id}`)
      .set('Authorization', auth)
      .send({ ...valid, webhook_url: 'https://10.0.0.1/x' });
    expect(put.status).toBe(400);
    const row = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id } });
    expect(row.webhookUrl).toBe(valid.webhook_url);
  });

  it.each([
    ['Host'],
    ['content-length'],
    ['Transfer-Encoding'],
    ['Connection'],
    ['Authorization'],
    ['webhook-signature'],
    ['Webhook-Id'],
    ['X-Webhook-Signature'],
  ])('refuses the reserved header %s', async (name) => {
    await expectRefused({ headers: { [name]: 'x' } }, `headers.${name}`);
  });

  it('refuses bad header names, long values, line breaks and more than 20 headers', async () => {
    await expectRefused({ headers: { 'Bad Name': 'x' } }, 'headers.Bad Name');
    await expectRefused({ headers: { 'X-Big': 'v'.repeat(1025) } }, 'headers.X-Big');
    await expectRefused({ headers: { 'X-Split': 'a\r\nInjected: 1' } }, 'headers.X-Split');
    await expectRefused(
      { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) },
      'headers',
    );
    expect(
      (
        await create({
          headers: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`X-H${i}`, 'v'.repeat(1024)])),
        })
      ).status,
    ).toBe(201);
  });

  it('bounds timeout_ms to 1000–30000', async () => {
    await expectRefused({ timeout_ms: 999 }, 'timeout_ms');
    await expectRefused({ timeout_ms: 30_001 }, 'timeout_ms');
    await expectRefused({ timeout_ms: 1500.5 }, 'timeout_ms');
    expect((await create({ timeout_ms: 1000 })).body.data.timeout_ms).toBe(1000);
    expect((await create({ timeout_ms: 30_000 })).body.data.timeout_ms).toBe(30_000);
  });

  it('takes max_retries or retry_schedule, not both, and checks each delay', async () => {
    await expectRefused({ max_retries: 3, retry_schedule: ['5s'] }, 'retry_schedule');
    await expectRefused({ retry_schedule: ['soon'] }, 'retry_schedule.0');
    await expectRefused({ retry_schedule: [] }, 'retry_schedule');
    await expectRefused({ max_retries: -1 }, 'max_retries');
    expect((await create({ max_retries: 0 })).body.data.max_retries).toBe(0);
  });

  it('lists every unknown event type and points to the catalog', async () => {
    const res = await expectRefused({ events: ['booking.created', 'booking.teleported', 'nope'] }, 'events');
    expect(res.body.error.code).toBe('unknown_event_types');
    expect(res.body.error.message).toContain('booking.teleported, nope');
    expect(res.body.error.message).toContain('GET /api/v1/external/event-types');
  });

  it.each([['*'], ['booking.*'], ['staff.*'], ['inventory.kit_created']])('accepts the pattern %s', async (pattern) => {
    expect((await create({ events: [pattern] })).status).toBe(201);
  });

  it.each([['bogus.*'], ['booking*'], ['*.created'], ['booking.*.x'], ['.*'], ['']])(
    'refuses the pattern %p',
    async (pattern) => {
      await expectRefused({ events: [pattern] }, pattern === '' ? 'events.0' : 'events');
    },
  );

  it('refuses NUL characters and control characters Postgres or an HTTP request cannot carry', async () => {
    await expectRefused({ agent_name: 'a\u0000b' }, 'agent_name');
    await expectRefused({ webhook_url: 'https://93.184.215.14/a\u0000' }, 'webhook_url');
    await expectRefused({ webhook_url: 'https://93.184.215.14/a b' }, 'webhook_url');
  });

  it('takes ordering "none" (the default) or "booking", on create, PATCH and PUT (which resets it)', async () => {
    await expectRefused({ ordering: 'fifo' }, 'ordering');
    expect((await create({})).body.data.ordering).toBe('none');
    const id = (await create({ ordering: 'booking' })).body.data.id;
    expect((await request(app).get(`${base}/${id}`).set('Authorization', auth)).body.data.ordering).toBe('booking');
    const refused = await request(app).patch(`${base}/${id}`).set('Authorization', auth).send({ ordering: null });
    expect({ status: refused.status, fields: fields(refused) }).toEqual({ status: 400, fields: ['ordering'] });
    expect(
      (await request(app).patch(`${base}/${id}`).set('Authorization', auth).send({ ordering: 'none' })).body.data
        .ordering,
    ).toBe('none');
    expect(
      (await request(app).patch(`${base}/${id}`).set('Authorization', auth).send({ ordering: 'booking' })).body.data
        .ordering,
    ).toBe('booking');
    expect((await request(app).put(`${base}/${id}`).set('Authorization', auth).send(valid)).body.data.ordering).toBe(
      'none',
    );
  });

  it('refuses unknown fields and an empty events list', async () => {
    await expectRefused({ webhookUrl: 'https://93.184.215.14/' }, '(body)');
    await expectRefused({ events: [] }, 'events');
  });
});
