// The Redis a scenario runs its own processes on, so the CPU read for "redis" is that scenario's alone
// (the machine's own Redis on 6379 also serves everyone's tests).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { Redis } from 'ioredis';
import { sleep } from '../harness/processes';

export interface BenchRedis {
  /** What the services' environment gets: REDIS_URL, and REDIS_CLUSTER_NODES on a cluster. */
  env: Record<string, string>;
  /** The redis-server ports, for the CPU meter. */
  ports: number[];
  describe: string;
  stop(): Promise<void>;
}

/**
 * On a cluster (REDIS_CLUSTER_NODES set for the whole bench) the scenario uses it as it is.
 * Otherwise it starts a redis-server of its own on `port`, configured like the machine's
 * (no persistence), and stops it at the end.
 */
export async function benchRedis(env: Record<string, string>, port: number): Promise<BenchRedis> {
  if (env.REDIS_CLUSTER_NODES) {
    const nodes = env.REDIS_CLUSTER_NODES.split(',').map((node) => node.trim());
    return {
      env: { REDIS_URL: env.REDIS_URL, REDIS_CLUSTER_NODES: env.REDIS_CLUSTER_NODES },
      ports: nodes.map((node) => Number(node.split(':').pop())),
      describe: `the Redis Cluster of REDIS_CLUSTER_NODES (${nodes.length} seeds), DELIVERY_QUEUE_SHARDS=${env.DELIVERY_QUEUE_SHARDS ?? 1}`,
      stop: () => Promise.resolve(),
    };
  }
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 100, lazyConnect: true });
  probe.on('error', () => undefined); // refused until the server listens: PING below says when it does
  try {
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`redis-server on port ${port} exited (${server.exitCode})`);
      try {
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        if (i >= 100) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
        await sleep(100);
      }
    }
  } finally {
    probe.disconnect();
  }
  return {
    env: { REDIS_URL: url },
    ports: [port],
    describe: `a redis-server of its own on port ${port} (single Redis, no persistence)`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}
