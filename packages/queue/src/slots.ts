import { isCluster, type RedisClient } from './connection';

const CRC16 = new Uint16Array(256).map((_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
  return crc & 0xffff;
});

/** Redis Cluster's slot of a key: CRC16 (XMODEM) of its hash tag (the first non-empty `{…}`), or of the whole key, mod 16384. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hashed = Buffer.from(close > open + 1 ? key.slice(open + 1, close) : key);
  let crc = 0;
  for (const byte of hashed) crc = ((crc << 8) & 0xffff) ^ CRC16[((crc >> 8) ^ byte) & 0xff];
  return crc % 16384;
}

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
