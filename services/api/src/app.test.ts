import request from 'supertest';
import { parseConfig } from '@bellhop/config';
import { closeDomainContext, createDomainContext } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import { createTestEnv, freePort, type TestEnv } from '@bellhop/testing';
import { createApp } from './app';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('health and readiness', () => {
  it('is alive and ready when Postgres and Redis answer', async () => {
    const app = createApp({ ctx: env.ctx });
    await request(app)
      .get('/healthz')
      .expect(200, { success: true, data: { status: 'ok' } });
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body.data.dependencies).toEqual({ postgres: 'ok', redis: 'ok' });
  });

  it("keeps BullMQ's scripts off the connection the rate limiter and live streams use (its pipelines stay cheap)", async () => {
    const app = createApp({ ctx: env.ctx });
    await request(app).get('/metrics').expect(200); // reads every queue, Bull Board's extra ones included
    expect(Object.keys(env.ctx.queueRedis.scriptsSet).length).toBeGreaterThan(0);
    expect(env.ctx.redis.scriptsSet).toEqual({});
  });

  it.each([
    ['redis', (port: number) => ({ REDIS_URL: `redis://127.0.0.1:${port}` })],
    ['postgres', (port: number) => ({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/nothing` })],
  ])('answers 503 naming %s when it is unreachable', async (name, override) => {
    const config = parseConfig({ ...env.processEnv, ...override(await freePort()) });
    const ctx = createDomainContext(config, createLogger('test', 'error'));
    try {
      const res = await request(createApp({ ctx })).get('/readyz').expect(503);
      expect(res.body.success).toBe(false);
      expect(res.body.error.message).toContain(name);
      expect(res.body.error.details.dependencies[name]).toMatch(/unreachable/);
    } finally {
      await closeDomainContext(ctx);
    }
  });
});

describe('error model', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(createApp({ ctx: env.ctx }))
      .get('/api/v1/nope')
      .expect(404);
    expect(res.body).toEqual({
      success: false,
      error: { code: 'not_found', message: 'No route for GET /api/v1/nope' },
    });
  });

  it('answers malformed JSON with 400 and oversized bodies with 413, without a stack trace', async () => {
    const app = createApp({ ctx: env.ctx });
    const bad = await request(app)
      .post('/api/v1/whoami')
      .set('Content-Type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const big = await request(app)
      .post('/api/v1/whoami')
      .set('Content-Type', 'application/json')
      .send(`{"a":"${'x'.repeat(1_100_000)}"}`)
      .expect(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect(JSON.stringify(big.body)).not.toMatch(/at .*\.ts/);
  });

  it('echoes a given X-Request-Id and generates one otherwise', async () => {
    const app = createApp({ ctx: env.ctx });
    const given = await request(app).get('/healthz').set('X-Request-Id', 'trace-123');
    expect(given.headers['x-request-id']).toBe('trace-123');
    const generated = await request(app).get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^req_/);
  });
});
