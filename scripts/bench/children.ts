import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../harness/processes';

/** Runs a bench helper script in its own process (so client and server don't share a core). */
export function runChild(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts/bench', script), ...args], {
    cwd: ROOT,
    env: { ...env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let partial = '';
  // One listener for every pending read (a read each poll would otherwise add one per call).
  child.once('exit', (code) => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${script} exited (${code})`));
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(line);
      else lines.push(line);
    }
  });
  return {
    child,
    /** The next line the child prints. */
    nextLine: () =>
      new Promise<string>((resolve, reject) => {
        const queued = lines.shift();
        if (queued !== undefined) return resolve(queued);
        if (child.exitCode !== null) return reject(new Error(`${script} exited (${child.exitCode})`));
        waiters.push({ resolve, reject });
      }),
    send: (line: string) => child.stdin.write(`${line}\n`),
  };
}
