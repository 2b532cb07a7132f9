import {
  announceToAllHosts,
  createPullMessages,
  createSubscription,
  recordEvent,
  sendHostEvent,
} from '@bellhop/domain';
import {
  clusterCrossSlotErrors,
  createAgentKey,
  createClusterTestEnv,
  createHostWithToken,
  describeOnCluster,
  freePort,
  startServiceProcess,
  type TestEnv,
} from '@bellhop/testing';
import { openStream } from './__tests__/sse-client';

describeOnCluster('Redis Cluster: live streams (sharded pub/sub) and replay', () => {
  let env: TestEnv;
  let services: Awaited<ReturnType<typeof startServiceProcess>>[] = [];

  beforeAll(async () => {
    env = await createClusterTestEnv();
    services = await Promise.all(
      [0, 1].map(async () => {
        const port = await freePort();
        return startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(port) }, port);
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await env.close();
  });

  /** Bus messages a process received (bellhop_realtime_bus_messages_total). */
  const received = async (service: { url: string }, kind: 'host' | 'broadcast' | 'pull') => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    return Number(new RegExp(`bellhop_realtime_bus_messages_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };

  it('delivers each host its own live events, each process hearing only the hosts it holds, and an announcement to both', async () => {
    const hosts = await Promise.all(Array.from({ length: 4 }, () => createHostWithToken(env.ctx)));
    const streams = hosts.map((host, i) =>
      openStream(`${services[i % 2].url}/api/v1/hosts/${host.hostId}/events`, host.auth),
    );
    try {
      await Promise.all(streams.map((stream) => stream.waitFor('connected')));
      await Promise.all(hosts.map((host, i) => sendHostEvent(env.ctx, host.hostId, 'custom', { for: i })));
      for (const [i, stream] of streams.entries())
        expect((await stream.waitFor('custom')).map((e) => e.data)).toEqual([{ for: i }]);
      expect([await received(services[0], 'host'), await received(services[1], 'host')]).toEqual([2, 2]);
      await announceToAllHosts(env.ctx, { title: 'Release', message: 'New dashboard', level: 'info' });
      await Promise.all(streams.map((stream) => stream.waitFor('system_announcement')));
      expect([await received(services[0], 'broadcast'), await received(services[1], 'broadcast')]).toEqual([1, 1]);
      for (const stream of streams) expect(stream.of('custom')).toHaveLength(1);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('replays what a host missed after Last-Event-ID, its stream on whichever node its id hashes to', async () => {
    const hosts = await Promise.all(Array.from({ length: 6 }, () => createHostWithToken(env.ctx)));
    for (const [i, host] of hosts.entries()) {
      const first = await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 1 });
      await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 2 });
      await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 3 });
      const resumed = openStream(`${services[i % 2].url}/api/v1/hosts/${host.hostId}/events`, host.auth, {
        'Last-Event-ID': first,
      });
      try {
        expect((await resumed.waitFor('custom', 2)).map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }]);
      } finally {
        resumed.close();
      }
    }
  });

  it("wakes a pull subscription's stream through its sharded channel, only on the process holding it", async () => {
    const agent = await createAgentKey(env.ctx);
    const { subscription } = await createSubscription(env.ctx, agent.agentId, {
      agent_name: 'offline',
      delivery: 'pull',
      events: ['booking.*'],
    });
    const stream = openStream(`${services[0].url}/api/v1/agents/stream?subscription=${subscription.id}`, agent.auth);
    try {
      await stream.waitFor('connected');
      const event = await recordEvent(env.ctx, { type: 'booking.created', data: {}, audienceAgentId: agent.agentId });
      await createPullMessages(env.ctx, [{ eventId: event.id, subscriptionId: subscription.id }]);
      // Well before the first heartbeat (15 s): the signal woke it.
      expect((await stream.waitFor('message')).map((m) => m.id)).toEqual(['1']);
      expect([await received(services[0], 'pull'), await received(services[1], 'pull')]).toEqual([1, 0]);
    } finally {
      stream.close();
    }
  });

  it('no master answered CROSSSLOT', async () => {
    expect(await clusterCrossSlotErrors()).toBe(0);
  });
});
