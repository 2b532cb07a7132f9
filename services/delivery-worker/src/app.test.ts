import request from 'supertest';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from './app';

let env: TestEnv;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
});
afterAll(async () => {
  await env.close();
});

describe('worker health and metrics app: hostile URLs', () => {
  it.each(['%00', '%7F', '%ED%A0%80', '%E0%A4%A', '%'])('answers %s with a JSON 4xx, never a 5xx', async (bad) => {
    const query = await request(app).get(`/metrics?name=${bad}`);
    expect([query.status, query.body.error?.code, query.body.error?.details]).toEqual([
      400,
      'invalid_query_parameter',
      [expect.objectContaining({ field: 'name' })],
    ]);
    const path = await request(app).get(`/readyz/${bad}`);
    expect([path.status, path.body.error?.code]).toEqual([404, 'not_found']);
  });
});
