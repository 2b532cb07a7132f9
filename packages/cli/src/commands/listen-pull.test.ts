import { spawn } from 'node:child_process';
import path from 'node:path';
import { createSubscription, fanOutEvents, recordEvent } from '@bellhop/domain';
import {
  createAgentKey,
  createHostWithToken,
  createTestEnv,
  eventually,
  freePort,
  startServiceProcess,
  type TestEnv,
} from '@bellhop/testing';

const ROOT = path.resolve(__dirname, '../../../..');
let env: TestEnv;
let services: Awaited<ReturnType<typeof startServiceProcess>>[] = [];
beforeAll(async () => {
  const [apiPort, realtimePort] = [await freePort(), await freePort()];
  env = await createTestEnv({
    PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`,
    PUBLIC_REALTIME_URL: `http://127.0.0.1:${realtimePort}`,
  });
  services = await Promise.all([
    startServiceProcess('api', { ...env.processEnv, API_PORT: String(apiPort) }, apiPort),
    startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(realtimePort) }, realtimePort),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await env.close();
});

describe('cli listen --pull', () => {
  it("prints a pull subscription's messages as they come, verified, and acknowledges each", async () => {
    const agent = await createAgentKey(env.ctx);
    const { hostId } = await createHostWithToken(env.ctx);
    const { subscription, secret } = await createSubscription(env.ctx, agent.agentId, {
      agent_name: 'laptop agent',
      delivery: 'pull',
      events: ['booking.*'],
    });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'listen', '--pull', subscription.id, '--secret', secret],
      {
        cwd: ROOT,
        env: {
          ...env.processEnv,
          BELLHOP_API_KEY: agent.token,
          TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await eventually(() => expect(output).toContain('Ready!'), 20_000, 100);
      const event = await recordEvent(env.ctx, { type: 'booking.created', data: { booking_id: 'bkg_pull' }, hostId });
      await fanOutEvents(env.ctx, [event.id]);
      await eventually(
        () =>
          expect(output).toMatch(
            new RegExp(`PULL \\[1\\] ${event.id} booking\\.created ✓ verified[\\s\\S]*"booking_id": "bkg_pull"`),
          ),
        10_000,
        50,
      );
      await eventually(async () =>
        expect(
          await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: subscription.id } }),
        ).toMatchObject({ pullAckedSeq: 1n }),
      );
      expect(await env.ctx.db.delivery.findFirstOrThrow({ where: { subscriptionId: subscription.id } })).toMatchObject({
        status: 'succeeded',
      });
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});
