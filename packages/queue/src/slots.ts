import generate from 'cluster-key-slot';
import { isCluster, type RedisClient } from './connection';

/** Redis Cluster's slot of a key (its hash tag's, if it has one): the hashing ioredis itself routes commands by. */
export const keySlot = (key: string): number => generate(key);

/**
 * Splits a batch for a multi-key script so each call stays in one slot (no CROSSSLOT): on a
 * cluster, the indexes of the items whose key lands in the same slot; on a single Redis, one
 * group of them all.
 */
export function slotGroups<T>(redis: RedisClient, items: T[], keyOf: (item: T) => string): number[][] {
  const all = items.map((_, i) => i);
  if (!isCluster(redis)) return [all];
  const groups = new Map<number, number[]>();
  for (const i of all) {
    const slot = keySlot(keyOf(items[i]));
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  }
  return [...groups.values()];
}
