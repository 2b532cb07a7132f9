import request from 'supertest';
import { createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from './app';
import { ConnectionHub } from './sse/connection-hub';
import { HostChannels } from './sse/host-channels';

// Control characters and percent-encodings that cannot be decoded, as a client could put them in a URL.
const HOSTILE = ['%00', 'a%00b', '%1F', '%7F', 'x%0D%0Ay', '%ED%A0%80', '%E0%A4%A', '%', '%C0%AF'];

let env: TestEnv;
let app: ReturnType<typeof createApp>;
let host: Awaited<ReturnType<typeof createHostWithToken>>;
beforeAll(async () => {
  env = await createTestEnv();
  const hub = new ConnectionHub(env.config.SSE_MAX_CONNECTIONS, env.config.SSE_MAX_CONNECTIONS_PER_HOST);
  app = createApp({
    config: env.config,
    logger: env.ctx.logger,
    checks: {},
    redis: env.ctx.redis,
    hub,
    channels: new HostChannels(env.ctx.redis, env.config.QUEUE_PREFIX, env.ctx.logger),
  });
  host = await createHostWithToken(env.ctx);
});
afterAll(async () => {
  await env.close();
});

const refusal = (code: string, field: string) =>
  expect.objectContaining({
    success: false,
    error: expect.objectContaining({ code, details: [expect.objectContaining({ field })] }),
  });

describe('realtime: hostile URLs', () => {
  it.each(HOSTILE)(
    'refuses %s in the stream host id with a 400 naming hostId, before any stream opens',
    async (bad) => {
      const res = await request(app).get(`/api/v1/hosts/${bad}/events`).set('Authorization', host.auth);
      expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringMatching(/json/)]);
      expect(res.body).toEqual(refusal('invalid_path_parameter', 'hostId'));
    },
  );

  it.each(HOSTILE)('refuses %s in ?access_token= and ?last_event_id= naming the parameter', async (bad) => {
    const token = await request(app).get(`/api/v1/hosts/${host.hostId}/events?access_token=${bad}`);
    expect([token.status, token.body]).toEqual([400, refusal('invalid_query_parameter', 'access_token')]);
    const resume = await request(app)
      .get(`/api/v1/hosts/${host.hostId}/events?last_event_id=${bad}`)
      .set('Authorization', host.auth);
    expect([resume.status, resume.body]).toEqual([400, refusal('invalid_query_parameter', 'last_event_id')]);
  });

  it.each(HOSTILE)('answers %s in the dashboard and health routes with a JSON 4xx', async (bad) => {
    const file = await request(app).get(`/dashboard/${bad}`);
    expect([file.status, file.body.error?.code]).toEqual([404, 'not_found']);
    const health = await request(app).get(`/healthz?probe=${bad}`);
    expect([health.status, health.body]).toEqual([400, refusal('invalid_query_parameter', 'probe')]);
  });
});
