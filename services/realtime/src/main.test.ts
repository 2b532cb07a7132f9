import { createTestEnv, freePort, startServiceProcess, type TestEnv } from '@bellhop/testing';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('realtime process', () => {
  it('is ready with Postgres and Redis, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const service = await startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(port) }, port);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await service.stop('SIGTERM')).toBe(0);
  });
});
