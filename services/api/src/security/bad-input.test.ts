import type { Express } from 'express';
import request from 'supertest';
import { ensureEventTypes } from '@bellhop/domain';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';
import { apiRoutes } from '../openapi';
import { malformedBodies } from './__tests__/malformed-bodies';
import { callers, concretePath, legitimateAuth, tableCounts, type Callers } from './__tests__/route-fixtures';

let env: TestEnv;
let app: Express;
let who: Callers;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
  who = await callers(env);
  await ensureEventTypes(env.ctx.db); // the catalog seeds itself lazily; seed it before counting rows
});
afterAll(async () => { await env.close(); });

const withBody = () => apiRoutes.routes.filter((r) => ['post', 'put', 'patch'].includes(r.method) && !r.auth.includes('basic') && !r.auth.includes('signature'));

describe('bad-input corpus', () => {
  it('refuses every malformed request with a clear 4xx and writes nothing', async () => {
    const before = await tableCounts(env);
    const problems: string[] = [];
    let sent = 0;
    for (const route of withBody()) {
      const auth = legitimateAuth(route, who);
      for (const bad of malformedBodies(route)) {
        const req = request(app)[route.method](concretePath(route, who.host.hostId)).set('Content-Type', bad.contentType);
        if (auth) req.set('Authorization', auth);
        // superagent would JSON-serialise a Buffer; send the bytes as they are.
        const res = await req.serialize((body: unknown) => body as string).send(bad.body);
        sent++;
        const where = `${route.method.toUpperCase()} ${route.path} [${bad.label}] → ${res.status}`;
        if (res.status >= 500) { problems.push(`${where} ${JSON.stringify(res.body).slice(0, 200)}`); continue; }
        if (res.status < 400) { if (bad.label !== 'empty object') problems.push(`${where} accepted`); continue; }
        if (res.body?.success !== false || typeof res.body.error?.code !== 'string' || !res.body.error.message) problems.push(`${where} not a JSON error`);
        if (res.body.error?.code === 'validation_error' && !(Array.isArray(res.body.error.details) && res.body.error.details.every((d: { field?: string }) => d.field))) problems.push(`${where} does not name the field`);
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(200);
    expect(await tableCounts(env)).toEqual(before);
  });

  it('never reflects an unsafe X-Request-Id and refuses huge idempotency keys', async () => {
    for (const value of ['<script>alert(1)</script>', 'a b c', 'x'.repeat(500), 'ünïcödé']) {
      const res = await request(app).get('/healthz').set('X-Request-Id', value);
      expect(res.headers['x-request-id']).toMatch(/^req_/);
    }
    const events = apiRoutes.routes.find((r) => r.method === 'post' && r.path === '/api/v1/external/events');
    if (events) {
      const res = await request(app).post(events.path).set('Authorization', who.agent.auth).set('Idempotency-Key', 'k'.repeat(10_000)).send({ type: 'booking.updated', data: {} });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});
