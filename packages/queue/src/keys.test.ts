import { deliveryQueueNames, deliveryShardOf } from './queues';
import { redisKeys } from './keys';
import { keySlot } from './slots';

describe('redisKeys', () => {
  it('keeps every name a single Redis had, under the configured prefix', () => {
    const keys = redisKeys({ QUEUE_PREFIX: '{bellhop}' });
    expect(keys.prefix).toBe('{bellhop}');
    expect(keys.queuePrefix('events')).toBe('{bellhop}');
    expect(keys.grouped('endpoint', 'https://hooks.example', 'slots')).toBe(
      '{bellhop}:endpoint:https://hooks.example:slots',
    );
  });

  it('on a cluster drops the braces a user put in, tags each queue and each group, and leaves lone keys untagged', () => {
    const keys = redisKeys({ QUEUE_PREFIX: '{bell{hop}', REDIS_CLUSTER_NODES: ['r1:6379'] });
    expect(keys.prefix).toBe('bellhop');
    expect(keys.queuePrefix('deliveries-2')).toBe('{bellhop:deliveries-2}');
    const lane = (set: string) => keys.grouped('endpoint', 'https://a{b}.example', set);
    expect(lane('slots')).toBe('bellhop:endpoint:{https://ab.example}:slots');
    expect(keySlot(lane('slots'))).toBe(keySlot(lane('waiting')));
    expect(keySlot(`${keys.queuePrefix('events')}:events:wait`)).toBe(
      keySlot(`${keys.queuePrefix('events')}:events:meta`),
    );
  });
});

describe('delivery shards', () => {
  it('are one queue named deliveries by default, then deliveries-1…', () => {
    expect(deliveryQueueNames(1)).toEqual(['deliveries']);
    expect(deliveryQueueNames(3)).toEqual(['deliveries', 'deliveries-1', 'deliveries-2']);
  });

  it('put every endpoint in shard 0 by default and spread endpoints over all shards', () => {
    const endpoints = Array.from({ length: 200 }, (_, i) => `https://hooks-${i}.example`);
    expect(endpoints.every((endpoint) => deliveryShardOf(endpoint, 1) === 0)).toBe(true);
    const counts = [0, 0, 0, 0];
    for (const endpoint of endpoints) counts[deliveryShardOf(endpoint, 4)]++;
    for (const count of counts) expect(count).toBeGreaterThan(25);
  });
});
