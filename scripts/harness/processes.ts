import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const ENTRIES = {
  api: 'services/api/dist/main.js',
  worker: 'services/delivery-worker/dist/main.js',
  realtime: 'services/realtime/dist/main.js',
} as const;
export type ServiceName = keyof typeof ENTRIES;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One real service process (the built one, as deployed), restartable. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  constructor(
    readonly name: ServiceName,
    readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits for /healthz; a no-op when it is already running. */
  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null) return;
    this.child = spawn(process.execPath, [ENTRIES[this.name]], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 120; i++) {
      if (this.child.exitCode !== null)
        throw new Error(`${this.name} exited with ${this.child.exitCode} while starting`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/healthz`)).ok) return;
      } catch {
        /* starting */
      }
      await sleep(250);
    }
    throw new Error(`${this.name} did not answer /healthz within 30 s`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
