import { busKeys, publishToHost } from '@bellhop/realtime-bus';
import { createRedis } from '@bellhop/queue';
import { createTestEnv, eventually, type TestEnv } from '@bellhop/testing';
import { HostChannels } from './host-channels';

let env: TestEnv;
let subscriber: ReturnType<typeof createRedis>;
let channels: HostChannels;
let heard: string[];

beforeAll(async () => {
  env = await createTestEnv();
});
beforeEach(() => {
  subscriber = createRedis(env.config.REDIS_URL, 'subscriber');
  channels = new HostChannels(subscriber, env.config.QUEUE_PREFIX, env.ctx.logger);
  heard = [];
  subscriber.on('message', (_channel: string, raw: string) => heard.push(JSON.parse(raw).hostId));
});
afterEach(async () => {
  channels.stop();
  await subscriber.quit();
});
afterAll(async () => {
  await env.close();
});

const channelOf = (hostId: string) => busKeys(env.config.QUEUE_PREFIX).hostChannel(hostId);
/** Subscribers Redis itself counts on the host's channel (this test's only subscriber, so 0 or 1). */
async function listeners(hostId: string): Promise<number> {
  const [, count] = (await env.ctx.redis.call('PUBSUB', 'NUMSUB', channelOf(hostId))) as [string, number];
  return Number(count);
}
const publish = (hostId: string, n: number) =>
  publishToHost(env.ctx.redis, { prefix: env.config.QUEUE_PREFIX, historyLength: 10 }, hostId, 'custom', { n });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HostChannels', () => {
  it('subscribes 2,000 hosts connecting at once with a couple of SUBSCRIBE commands, and hears exactly them', async () => {
    const subscribe = jest.spyOn(subscriber, 'subscribe');
    const hosts = Array.from({ length: 2000 }, (_, i) => `hst_many_${i}`);
    await Promise.all(hosts.map((hostId) => channels.acquire(hostId)));
    expect(subscribe.mock.calls.length).toBeLessThanOrEqual(2);
    expect(subscribe.mock.calls.flat()).toHaveLength(2000);
    expect(await listeners('hst_many_1999')).toBe(1);
    await publish('hst_many_7', 1);
    await publish('hst_not_here', 1);
    await eventually(() => expect(heard).toEqual(['hst_many_7']));
  });

  it('keeps a host subscribed until its last stream closes, then unsubscribes', async () => {
    await channels.acquire('hst_rc');
    await channels.acquire('hst_rc');
    channels.release('hst_rc');
    await sleep(30);
    expect(await listeners('hst_rc')).toBe(1);
    await publish('hst_rc', 1);
    await eventually(() => expect(heard).toEqual(['hst_rc']));
    channels.release('hst_rc');
    await eventually(async () => expect(await listeners('hst_rc')).toBe(0));
    await publish('hst_rc', 2);
    await sleep(50);
    expect(heard).toEqual(['hst_rc']);
    expect(channels.hostCount).toBe(0);
  });

  it('ends subscribed exactly to the hosts still held after rapid connects and disconnects', async () => {
    const hosts = ['hst_race_a', 'hst_race_b', 'hst_race_c', 'hst_race_d'];
    const held = new Map(hosts.map((h) => [h, 0]));
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pending: Promise<void>[] = [];
    for (let step = 0; step < 400; step++) {
      const hostId = hosts[random(hosts.length)];
      if (held.get(hostId)! > 0 && random(2) === 0) {
        channels.release(hostId);
        held.set(hostId, held.get(hostId)! - 1);
      } else {
        pending.push(channels.acquire(hostId));
        held.set(hostId, held.get(hostId)! + 1);
      }
      // Some steps in one tick, some across batch boundaries (while commands are in flight).
      if (random(4) === 0) await sleep(random(8));
    }
    await Promise.all(pending);
    await sleep(30);
    for (const hostId of hosts)
      expect([hostId, await listeners(hostId)]).toEqual([hostId, held.get(hostId)! > 0 ? 1 : 0]);
    for (const hostId of hosts)
      while (held.get(hostId)! > 0) {
        channels.release(hostId);
        held.set(hostId, held.get(hostId)! - 1);
      }
    await eventually(async () => {
      for (const hostId of hosts) expect(await listeners(hostId)).toBe(0);
    });
  });
});
