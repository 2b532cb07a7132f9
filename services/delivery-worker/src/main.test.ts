import { createTestEnv, eventually, freePort, startServiceProcess, type TestEnv } from '@bellhop/testing';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('delivery-worker process', () => {
  it('becomes ready with Postgres and Redis, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const service = await startServiceProcess(
      'delivery-worker',
      { ...env.processEnv, WORKER_PORT: String(port) },
      port,
    );
    try {
      // Readiness, not speed: on a busy machine the pool's first connections can take a while.
      await eventually(
        async () => {
          const ready = await fetch(`${service.url}/readyz`);
          if (ready.status !== 200) throw new Error(`readyz ${ready.status}: ${await ready.text()}`);
        },
        20_000,
        250,
      );
    } finally {
      expect(await service.stop('SIGTERM')).toBe(0);
    }
  });
});
