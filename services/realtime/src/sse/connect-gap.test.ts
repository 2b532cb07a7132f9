import request from 'supertest';
import { createRedis } from '@bellhop/queue';
import { createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { connectGapTests } from '../__tests__/connect-gap-tests';
import { createApp } from '../app';
import { ConnectionHub } from './connection-hub';
import { HostChannels } from './host-channels';

describe('connecting while messages are published', () => connectGapTests(() => createTestEnv()));

describe('when Redis cannot take the subscription', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('answers 503 with Retry-After before any stream opens', async () => {
    const gone = createRedis(env.config.REDIS_URL, 'subscriber');
    await gone.quit();
    const hub = new ConnectionHub(env.config.SSE_MAX_CONNECTIONS, env.config.SSE_MAX_CONNECTIONS_PER_HOST);
    const app = createApp({
      config: env.config,
      logger: env.ctx.logger,
      checks: {},
      redis: env.ctx.redis,
      hub,
      channels: new HostChannels(gone, env.config.QUEUE_PREFIX, env.ctx.logger),
    });
    const host = await createHostWithToken(env.ctx);
    const res = await request(app).get(`/api/v1/hosts/${host.hostId}/events`).set('Authorization', host.auth);
    expect([res.status, res.headers['content-type'], res.headers['retry-after'], res.body.error.code]).toEqual([
      503,
      expect.stringMatching(/json/),
      '5',
      'realtime_unavailable',
    ]);
    expect(hub.size).toBe(0);
  });
});
