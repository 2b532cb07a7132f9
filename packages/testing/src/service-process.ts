import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually } from './eventually';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ENTRIES = {
  api: 'services/api/src/main.ts',
  'delivery-worker': 'services/delivery-worker/src/main.ts',
  realtime: 'services/realtime/src/main.ts',
} as const;

/**
 * Runs a real service process from source (tsx), for tests that need a separate process:
 * signals, several realtime processes, crash recovery. Resolves once /healthz answers.
 */
export async function startServiceProcess(service: keyof typeof ENTRIES, env: Record<string, string>, port: number) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRIES[service]], {
    cwd: ROOT,
    env: { ...env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited early (${child.exitCode}):\n${output}`);
      const res = await fetch(`${url}/healthz`);
      if (!res.ok) throw new Error(`healthz ${res.status}`);
    },
    30_000,
    100,
  );
  return {
    url,
    child,
    output: () => output,
    exited,
    /** Sends a signal and resolves with the exit code. */
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
