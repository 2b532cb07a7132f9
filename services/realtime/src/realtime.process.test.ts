import { announceToAllHosts, sendHostEvent } from '@bellhop/domain';
import { busKeys } from '@bellhop/realtime-bus';
import {
  createHostWithToken,
  createTestEnv,
  eventually,
  freePort,
  startServiceProcess,
  type TestEnv,
} from '@bellhop/testing';
import { openStream } from './__tests__/sse-client';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const start = async (extra: Record<string, string> = {}) => {
  const port = await freePort();
  return startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(port), ...extra }, port);
};

describe('several realtime processes', () => {
  it('each delivers to its own clients, and an announcement reaches both', async () => {
    const [one, two] = await Promise.all([start(), start()]);
    const [a, b] = [await createHostWithToken(env.ctx), await createHostWithToken(env.ctx)];
    const streamA = openStream(`${one.url}/api/v1/hosts/${a.hostId}/events`, a.auth);
    const streamB = openStream(`${two.url}/api/v1/hosts/${b.hostId}/events`, b.auth);
    try {
      await Promise.all([streamA.waitFor('connected'), streamB.waitFor('connected')]);
      await sendHostEvent(env.ctx, a.hostId, 'custom', { for: 'a' });
      await sendHostEvent(env.ctx, b.hostId, 'custom', { for: 'b' });
      expect((await streamA.waitFor('custom')).map((e) => e.data)).toEqual([{ for: 'a' }]);
      expect((await streamB.waitFor('custom')).map((e) => e.data)).toEqual([{ for: 'b' }]);
      await announceToAllHosts(env.ctx, { title: 'Release', message: 'New dashboard', level: 'info' });
      await Promise.all([streamA.waitFor('system_announcement'), streamB.waitFor('system_announcement')]);
      expect(streamA.of('custom')).toHaveLength(1);
    } finally {
      streamA.close();
      streamB.close();
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('each hears only the hosts it holds streams of, until their last stream closes; broadcasts reach both', async () => {
    const [one, two] = await Promise.all([start(), start()]);
    const hostsOfOne = [
      await createHostWithToken(env.ctx),
      await createHostWithToken(env.ctx),
      await createHostWithToken(env.ctx),
    ];
    const hostsOfTwo = [await createHostWithToken(env.ctx), await createHostWithToken(env.ctx)];
    const open = (url: string, host: { hostId: string; auth: string }) =>
      openStream(`${url}/api/v1/hosts/${host.hostId}/events`, host.auth);
    const streams = [
      ...hostsOfOne.map((h) => open(one.url, h)),
      open(one.url, hostsOfOne[0]),
      ...hostsOfTwo.map((h) => open(two.url, h)),
    ];
    const received = async (service: { url: string }, kind: 'host' | 'broadcast') => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      return Number(new RegExp(`bellhop_realtime_bus_messages_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    };
    const listeners = async (hostId: string) =>
      Number(
        (
          (await env.ctx.redis.call('PUBSUB', 'NUMSUB', busKeys(env.config.QUEUE_PREFIX).hostChannel(hostId))) as [
            string,
            number,
          ]
        )[1],
      );
    try {
      await Promise.all(streams.map((s) => s.waitFor('connected')));
      for (const host of [...hostsOfOne, ...hostsOfTwo])
        for (const n of [1, 2]) await sendHostEvent(env.ctx, host.hostId, 'custom', { n });
      await Promise.all(streams.map((s) => s.waitFor('custom', 2)));
      expect([await received(one, 'host'), await received(two, 'host')]).toEqual([6, 4]);

      streams[0].close();
      await sendHostEvent(env.ctx, hostsOfOne[0].hostId, 'custom', { n: 3 });
      await streams[3].waitFor('custom', 3); // the host's other stream keeps its channel
      streams[3].close();
      await eventually(async () => expect(await listeners(hostsOfOne[0].hostId)).toBe(0));
      await sendHostEvent(env.ctx, hostsOfOne[0].hostId, 'custom', { n: 4 });
      await sendHostEvent(env.ctx, hostsOfOne[1].hostId, 'custom', { n: 3 });
      await streams[1].waitFor('custom', 3);
      expect(await received(one, 'host')).toBe(8);

      await announceToAllHosts(env.ctx, { title: 'Release', message: 'New dashboard', level: 'info' });
      await Promise.all([streams[1], streams[4]].map((s) => s.waitFor('system_announcement')));
      expect([await received(one, 'broadcast'), await received(two, 'broadcast')]).toEqual([1, 1]);
      expect(await received(two, 'host')).toBe(4);
    } finally {
      for (const stream of streams) stream.close();
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('on SIGTERM ends open streams, exits 0, and never logs the access_token', async () => {
    const service = await start({ LOG_SILENT: 'false', LOG_LEVEL: 'http' });
    const host = await createHostWithToken(env.ctx);
    const res = await fetch(`${service.url}/api/v1/hosts/${host.hostId}/events?access_token=${host.token}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    await fetch(`${service.url}/api/v1/hosts/${host.hostId}/events?access_token=${host.token}x`);
    expect(await service.stop('SIGTERM')).toBe(0);
    let ended = false;
    while (!ended) ended = (await reader.read()).done;
    await eventually(() => expect(service.output()).toContain('access_token=[redacted]'));
    expect(service.output()).not.toContain(host.token);
  });
});
