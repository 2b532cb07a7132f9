import request from 'supertest';
import { parseConfig } from '@bellhop/config';
import { closeDomainContext, createDomainContext, setApiKeyRateLimit } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import { adminAuth, createAgentKey, createTestEnv, freePort, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
const keys: Record<string, string> = {};
const keyIds: Record<string, string> = {};
// Scale 0.005: a partner key's general /api/v1/external limit becomes 3/min, auto-approve 1/min; the platform's 1,500/min.
beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_SCALE: '0.005' });
  for (const name of ['a', 'b', 'c', 'd', 'e', 'raised', 'lowered', 'platform']) {
    const key = await createAgentKey(env.ctx, { name, kind: name === 'platform' ? 'platform' : 'partner' });
    keys[name] = key.auth;
    keyIds[name] = key.keyId;
  }
});
afterAll(async () => {
  await env.close();
});

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
      const res = await request(app)
        .get('/api/v1/external/hosts')
        .set('X-Forwarded-For', '10.77.0.1')
        .set('Authorization', `Bearer bh_made_up_${i}_key_padding`);
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

  const spend = async (app: ReturnType<typeof createApp>, name: string, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++)
      statuses.push((await request(app).get('/api/v1/external/hosts/hst_1/anything').set(auth(name))).status);
    return statuses;
  };

  it('lets a key with a raised limit past where the default answers 429, and gives the platform a producer-grade default', async () => {
    await setApiKeyRateLimit(env.ctx.db, keyIds.raised, 8);
    const app = createApp({ ctx: env.ctx });
    expect(await spend(app, 'raised', 8)).not.toContain(429);
    expect(await spend(app, 'raised', 1)).toEqual([429]);
    expect(await spend(app, 'platform', 8)).not.toContain(429);
    const whoami = await request(app).get('/api/v1/whoami').set(auth('platform')).expect(200);
    expect(whoami.body.data.rateLimitPerMinute).toBe(1500);
  });

  it("changes a key's limit through the admin endpoint: a lowered key answers 429 with Retry-After; null restores the default", async () => {
    const app = createApp({ ctx: env.ctx });
    const url = `/api/v1/admin/api-keys/${keyIds.lowered}`;
    const lowered = await request(app)
      .patch(url)
      .set('Authorization', adminAuth(env.ctx))
      .send({ rate_limit_per_minute: 1 })
      .expect(200);
    expect(lowered.body.data).toMatchObject({
      id: keyIds.lowered,
      agent: { kind: 'partner' },
      rate_limit_per_minute: 1,
      effective_rate_limit_per_minute: 1,
    });
    expect(await spend(app, 'lowered', 1)).not.toContain(429);
    const limited = await request(app).get('/api/v1/external/hosts/hst_1/anything').set(auth('lowered')).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error.message).toMatch(/1 per minute/);

    const restored = await request(app)
      .patch(url)
      .set('Authorization', adminAuth(env.ctx))
      .send({ rate_limit_per_minute: null })
      .expect(200);
    expect(restored.body.data).toMatchObject({ rate_limit_per_minute: null, effective_rate_limit_per_minute: 3 });
    expect(
      (await env.ctx.db.apiKey.findUniqueOrThrow({ where: { id: keyIds.lowered } })).rateLimitPerMinute,
    ).toBeNull();
  });

  it('refuses a bad limit naming the field, and an unknown key with 404', async () => {
    const app = createApp({ ctx: env.ctx });
    for (const value of [0, 2.5, '6000/min', 10_000_001]) {
      const res = await request(app)
        .patch(`/api/v1/admin/api-keys/${keyIds.e}`)
        .set('Authorization', adminAuth(env.ctx))
        .send({ rate_limit_per_minute: value })
        .expect(400);
      expect(res.body.error.details[0].field).toBe('rate_limit_per_minute');
    }
    await request(app)
      .patch('/api/v1/admin/api-keys/key_nope')
      .set('Authorization', adminAuth(env.ctx))
      .send({ rate_limit_per_minute: 5 })
      .expect(404);
    expect((await env.ctx.db.apiKey.findUniqueOrThrow({ where: { id: keyIds.e } })).rateLimitPerMinute).toBeNull();
  });
});
