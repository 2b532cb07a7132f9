import type { Express } from 'express';
import request from 'supertest';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from './app';
import { apiRoutes } from './openapi';

let env: TestEnv;
let app: Express;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
});
afterAll(async () => {
  await env.close();
});

/** Every method + path registered on the Express app (Express 5 router internals). */
function registeredRoutes(app: Express): { method: string; path: string }[] {
  const found: { method: string; path: string }[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push({ method, path: layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as any).router.stack);
  return found;
}

const UNDOCUMENTED = new Set([
  'get /healthz',
  'get /readyz',
  'get /openapi.json',
  'get /docs',
  'get /docs/init.js',
  'get /metrics',
]);
/** Browser pages and their sign-in (README: Agent portal, Operator sign-in); the portal's data calls are the documented routes. */
const BROWSER_PAGES = /^\/(admin|portal)(\/|$)/;

describe('OpenAPI', () => {
  it('documents every API route that the app registers', () => {
    expect(registeredRoutes(app)).toContainEqual({ method: 'get', path: '/api/v1/whoami' });
    const missing = registeredRoutes(app)
      .filter(({ method, path }) => !UNDOCUMENTED.has(`${method} ${path}`) && !BROWSER_PAGES.test(path))
      .filter(({ method, path }) => !apiRoutes.has(method, path))
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
  });

  it('serves an OpenAPI 3.1 document with a summary for each operation', async () => {
    const res = await request(app).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const operations = Object.values(res.body.paths as Record<string, Record<string, { summary?: string }>>).flatMap(
      (p) => Object.values(p),
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) expect(op.summary).toBeTruthy();
  });
});
