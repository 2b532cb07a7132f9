import { Redis } from 'ioredis';
import { clusterKeyBase, keySlot } from '@bellhop/queue';
import { createTestEnv, deleteMatching, type TestEnv } from './test-env';

/** Seeds of the test Redis Cluster the jest bootstrap started (scripts/jest-redis-cluster.js); undefined without redis-server. */
export const testClusterNodes = (): string | undefined => process.env.TEST_REDIS_CLUSTER_NODES;

/** Jest's `describe`, from the globals of the test file calling (this package is built without jest's types). */
type Describe = { (name: string, tests: () => void): void; skip(name: string, tests: () => void): void };
const jestDescribe = () => (globalThis as unknown as { describe: Describe }).describe;

/** `describe` against the test Redis Cluster, or a skipped one that says so when redis-server is not installed. */
export function describeOnCluster(name: string, tests: () => void): void {
  if (testClusterNodes()) return jestDescribe()(name, tests);
  process.stdout.write(`Redis Cluster suite "${name}" skipped: redis-server not found\n`);
  jestDescribe().skip(name, tests);
}

/** A test env (own database, own key prefix) whose every connection is a Cluster client of the test cluster. */
export function createClusterTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const nodes = testClusterNodes();
  if (!nodes) throw new Error('no test Redis Cluster (TEST_REDIS_CLUSTER_NODES is unset)');
  return createTestEnv({ REDIS_CLUSTER_NODES: nodes, ...overrides });
}

/** Which master (host:port) of the test cluster holds a key, by the cluster's own slot table. */
export async function clusterOwnerOf(keys: string[]): Promise<string[]> {
  const [host, port] = (testClusterNodes() ?? '').split(',')[0].split(':');
  const redis = new Redis(Number(port), host, { maxRetriesPerRequest: 1 });
  try {
    const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    return keys.map((key) => {
      const slot = keySlot(key);
      const [, , [ip, owner]] = ranges.find(([start, end]) => slot >= start && slot <= end)!;
      return `${ip}:${owner}`;
    });
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key of this prefix (cluster layout) on one master only: what that node's data loss would do to this test. */
export async function wipeClusterNode(node: string, prefix: string): Promise<void> {
  const [host, port] = node.split(':');
  const redis = new Redis(Number(port), host, { maxRetriesPerRequest: 1 });
  const base = clusterKeyBase(prefix);
  try {
    await deleteMatching(redis, [`${base}:`, `{${base}:`]);
  } finally {
    redis.disconnect();
  }
}

/** CROSSSLOT errors the test cluster's nodes have answered since they started (INFO errorstats): a multi-key call that spanned slots. */
export async function clusterCrossSlotErrors(): Promise<number> {
  const counts = await Promise.all(
    (testClusterNodes() ?? '').split(',').map(async (node) => {
      const [host, port] = node.split(':');
      const redis = new Redis(Number(port), host, { maxRetriesPerRequest: 1 });
      try {
        return Number(/errorstat_CROSSSLOT:count=(\d+)/.exec(await redis.info('errorstats'))?.[1] ?? 0);
      } finally {
        redis.disconnect();
      }
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
