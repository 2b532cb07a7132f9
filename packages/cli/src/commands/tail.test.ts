import { spawn } from 'node:child_process';
import path from 'node:path';
import { createNotification, OPERATOR } from '@bellhop/domain';
import {
  createHostWithToken,
  createTestEnv,
  eventually,
  freePort,
  startServiceProcess,
  type TestEnv,
} from '@bellhop/testing';

const ROOT = path.resolve(__dirname, '../../../..');
let env: TestEnv;
let realtime: Awaited<ReturnType<typeof startServiceProcess>>;
beforeAll(async () => {
  const port = await freePort();
  env = await createTestEnv({ PUBLIC_REALTIME_URL: `http://127.0.0.1:${port}` });
  realtime = await startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(port) }, port);
});
afterAll(async () => {
  await realtime?.stop();
  await env.close();
});

describe('cli tail', () => {
  it("prints a host's live stream", async () => {
    const { hostId } = await createHostWithToken(env.ctx);
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', 'tail', hostId], {
      cwd: ROOT,
      env: { ...env.processEnv, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await eventually(() => expect(output).toMatch(/ connected /), 20_000, 100);
      await createNotification(env.ctx, OPERATOR, hostId, {
        type: 'guest_message',
        title: 'Tail me please',
        message: 'Early check-in?',
        priority: 'high',
      });
      await eventually(() => expect(output).toMatch(/ notification \[[^\]]+\] .*Tail me please/), 10_000, 50);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});
