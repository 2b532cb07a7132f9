import { Redis } from 'ioredis';
import { keySlot, slotGroups } from './slots';

describe('keySlot', () => {
  it('matches Redis Cluster slots (CLUSTER KEYSLOT), hash tags included', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}'));
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('keeps a batch whole on a single Redis', () => {
    const redis = new Redis({ lazyConnect: true });
    expect(slotGroups(redis, ['a', 'b', 'c'], (key) => key)).toEqual([[0, 1, 2]]);
    redis.disconnect();
  });
});
