import request from 'supertest';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ PUBLIC_REALTIME_URL: 'http://127.0.0.1:3901' });
});
afterAll(async () => {
  await env.close();
});

describe('CORS for the host dashboard', () => {
  it('answers preflights from the realtime origin only', async () => {
    const app = createApp({ ctx: env.ctx });
    const ok = await request(app)
      .options('/api/v1/hosts/hst_1/notifications/read-all')
      .set('Origin', 'http://127.0.0.1:3901')
      .set('Access-Control-Request-Method', 'PUT')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe('http://127.0.0.1:3901');
    expect(ok.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(ok.headers['access-control-allow-methods']).toMatch(/PUT/);
    const other = await request(app).get('/healthz').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
