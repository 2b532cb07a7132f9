import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSignatureHeaders, generateSecret } from '@bellhop/webhooks';
import { eventually, freePort } from '@bellhop/testing';

const ROOT = path.resolve(__dirname, '../../../..');

function startListen(port: number, secret: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/cli/src/main.ts', 'listen', '--port', String(port), '--secret', secret],
    {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
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
  return {
    output: () => output,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe('cli listen', () => {
  it('verifies and prints each delivery, answering 400 to a bad signature', async () => {
    const port = await freePort();
    const secret = generateSecret();
    const listener = startListen(port, secret);
    try {
      await eventually(() => expect(listener.output()).toContain('Ready!'), 20_000, 100);
      const post = (body: string, secrets: string[]) =>
        fetch(`http://127.0.0.1:${port}/webhooks`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...buildSignatureHeaders({
              id: 'msg_listen_1',
              timestamp: Math.floor(Date.now() / 1000),
              body,
              secrets,
              eventType: 'booking.created',
            }),
          },
          body,
        });
      const good = await post(JSON.stringify({ type: 'booking.created', data: { booking_id: 'bkg_42' } }), [secret]);
      expect(good.status).toBe(200);
      await eventually(() =>
        expect(listener.output()).toMatch(/msg_listen_1 booking\.created ✓ verified[\s\S]*"booking_id": "bkg_42"/),
      );
      const bad = await post(JSON.stringify({ type: 'booking.created', data: { booking_id: 'bkg_43' } }), [
        generateSecret(),
      ]);
      expect(bad.status).toBe(400);
      await eventually(() =>
        expect(listener.output()).toMatch(/✗ No matching signature found[\s\S]*"booking_id": "bkg_43"/),
      );
    } finally {
      expect(await listener.stop()).toBe(0);
    }
  });
});
