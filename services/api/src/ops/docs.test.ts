import request from 'supertest';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('/docs', () => {
  it('renders the OpenAPI reference from local assets only', async () => {
    const app = createApp({ ctx: env.ctx });
    const page = await request(app).get('/docs').expect(200).expect('Content-Type', /html/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      await request(app).get(asset).expect(200);
    }
    const init = await request(app).get('/docs/init.js').expect(200);
    expect(init.text).toContain("'/openapi.json'");
  });
});
