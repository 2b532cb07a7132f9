/** What decides where Bellhop's Redis keys live: the base name, and whether Redis is a Cluster. */
export interface KeyConfig {
  QUEUE_PREFIX: string;
  REDIS_CLUSTER_NODES?: string[];
}

export interface RedisKeys {
  /** Start of every key that is used on its own (a stream, a rate-limit bucket): on a cluster each hashes by its whole name. */
  prefix: string;
  /** BullMQ prefix of one queue: every key of that queue in one slot, different queues in different slots on a cluster. */
  queuePrefix(queueName: string): string;
  /** A key that a script uses together with its siblings of the same `group` (an endpoint's lane sets): one slot on a cluster. */
  grouped(kind: string, group: string, name: string): string;
}

const braces = /[{}]/g;

/**
 * On a single Redis every key keeps the name it always had (`{bellhop}:…`, one slot, which a
 * single Redis ignores), so an existing deployment's queues, lanes and streams drain as before.
 * On a Redis Cluster the braces a user put in QUEUE_PREFIX are dropped and the hash tags are
 * Bellhop's: `{bellhop:events}` per queue, `{<endpoint>}` per endpoint's lane sets; keys used
 * alone have none, so the cluster spreads them by their whole name.
 */
export function redisKeys(config: KeyConfig): RedisKeys {
  if (!config.REDIS_CLUSTER_NODES?.length) {
    const prefix = config.QUEUE_PREFIX;
    return { prefix, queuePrefix: () => prefix, grouped: (kind, group, name) => `${prefix}:${kind}:${group}:${name}` };
  }
  const base = clusterKeyBase(config.QUEUE_PREFIX);
  return {
    prefix: base,
    queuePrefix: (queueName) => `{${base}:${queueName}}`,
    grouped: (kind, group, name) => `${base}:${kind}:${hashTag(group)}:${name}`,
  };
}

/** The base name of every key on a cluster: QUEUE_PREFIX without its braces. */
export const clusterKeyBase = (queuePrefix: string) => queuePrefix.replace(braces, '') || 'bellhop';

/** `{id}`: the cluster hashes the key by `id` alone (braces inside `id` are dropped, they would end the tag). */
const hashTag = (id: string) => `{${id.replace(braces, '')}}`;
