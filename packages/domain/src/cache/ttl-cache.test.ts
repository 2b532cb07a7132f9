import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  afterEach(() => jest.useRealTimers());

  it('forgets an entry once its time is up', () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new TtlCache<string, number>(1_000);
    cache.set('a', 1);
    jest.setSystemTime(999);
    expect(cache.get('a')).toBe(1);
    jest.setSystemTime(1_000);
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the oldest entry when full, and entries whose value matches on request', () => {
    const cache = new TtlCache<string, { keyId: string }>(60_000, 2);
    cache.set('t1', { keyId: 'k1' });
    cache.set('t2', { keyId: 'k2' });
    cache.set('t3', { keyId: 'k2' });
    expect(cache.get('t1')).toBeUndefined();
    cache.deleteWhere((v) => v.keyId === 'k2');
    expect([cache.get('t2'), cache.get('t3')]).toEqual([undefined, undefined]);
  });
});
