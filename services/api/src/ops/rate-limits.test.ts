import request from 'supertest';
import { parseConfig } from '@bellhop/config';
import { closeDomainContext, createDomainContext } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import { createAgentKey, createTestEnv, freePort, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
const keys: Record<string, string> = {};
// Scale 0.005: the general /api/v1/external limit becomes 3/min, auto-approve 1/min.
beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_SCALE: '0.005' });
  for (const name of ['a', 'b', 'c', 'd', 'e']) keys[name] = (await createAgentKey(env.ctx, { name })).auth;
});
afterAll(async () => { await env.close(); });

const auth = (name: string) => ({ Authorization: keys[name] });

describe('per-API-key rate limits', () => {
  it('answers 429 with Retry-After and RateLimit headers once the limit is spent', async () => {
    const app = createApp({ ctx: env.ctx });
    for (let i = 0; i < 3; i++) {
      const res = await request(app).get('/api/v1/external/hosts/hst_1/anything').set(auth('a'));
      expect(res.status).not.toBe(429);
      expect(res.headers['ratelimit-policy']).toBeDefined();
    }
    const limited = await request(app).get('/api/v1/external/hosts/hst_1/anything').set(auth('a')).expect(429);
    expect(limited.body).toMatchObject({ success: false, error: { code: 'rate_limited' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers.ratelimit).toMatch(/r=0/);
    // Another key has its own budget.
    expect((await request(app).get('/api/v1/external/hosts/hst_1/anything').set(auth('b'))).status).not.toBe(429);
  });

  it('gives each limited route its own budget and shares counts across API processes', async () => {
    const first = createApp({ ctx: env.ctx });
    const second = createApp({ ctx: env.ctx });
    await request(first).post('/api/v1/external/bookings/bkg_1/auto-approve').set(auth('c'));
    await request(second).post('/api/v1/external/bookings/bkg_1/auto-approve').set(auth('c')).expect(429);
    expect((await request(second).get('/api/v1/external/bookings/bkg_1/status').set(auth('c'))).status).not.toBe(429);
  });

  it('leaves routes outside /api/v1/external alone', async () => {
    const app = createApp({ ctx: env.ctx });
    for (let i = 0; i < 5; i++) await request(app).get('/api/v1/whoami').set(auth('d')).expect(200);
  });

  it('counts made-up keys as the anonymous client they are: new bearers open no new budgets', async () => {
    const app = createApp({ ctx: env.ctx });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(app).get('/api/v1/external/hosts').set('X-Forwarded-For', '10.77.0.1').set('Authorization', `Bearer bh_made_up_${i}_key_padding`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('fails open when Redis is down', async () => {
    const config = parseConfig({ ...env.processEnv, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const ctx = createDomainContext(config, createLogger('test', 'error'));
    try {
      const res = await request(createApp({ ctx })).get('/api/v1/external/hosts/hst_1/anything').set(auth('e'));
      expect(res.status).toBe(404);
    } finally {
      await closeDomainContext(ctx);
    }
  });
});
