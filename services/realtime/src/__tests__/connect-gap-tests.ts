import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendHostEvent } from '@bellhop/domain';
import { closeServer, listen } from '@bellhop/http';
import { createRedis, redisKeys, type RedisClient } from '@bellhop/queue';
import { createHostWithToken, type TestEnv } from '@bellhop/testing';
import { openStream } from './sse-client';
import { createApp } from '../app';
import { subscribeToBus } from '../sse/bus-subscriber';
import { ConnectionHub } from '../sse/connection-hub';
import type { HostChannels } from '../sse/host-channels';

/**
 * Connecting while messages are published: a message that falls between a stream subscribing
 * and reading its history arrives once. Run on a single Redis (connect-gap.test.ts) and on a
 * Redis Cluster (connect-gap.cluster.test.ts), by the env `createEnv` gives.
 */
export function connectGapTests(createEnv: () => Promise<TestEnv>): void {
  let env: TestEnv;
  let subscriber: RedisClient;
  let channels: HostChannels;
  let server: Server;
  let base: string;
  /** Runs once between a stream's subscription and its replay's first read: the window a message must not fall into. */
  let beforeReplay: (() => Promise<void>) | null = null;

  /** The replay's Redis, reading history only after `beforeReplay` has run (replay starts with XINFO, through `call`). */
  function withReplayWindow(redis: RedisClient): RedisClient {
    return new Proxy(redis, {
      get(target, property) {
        if (property === 'call') {
          return async (...args: Parameters<RedisClient['call']>) => {
            const hook = beforeReplay;
            beforeReplay = null;
            await hook?.();
            return (target.call as (...all: unknown[]) => Promise<unknown>)(...args);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  beforeAll(async () => {
    env = await createEnv();
    subscriber = createRedis(env.config, 'subscriber');
    const hub = new ConnectionHub(env.config.SSE_MAX_CONNECTIONS, env.config.SSE_MAX_CONNECTIONS_PER_HOST);
    channels = await subscribeToBus(subscriber, redisKeys(env.config).prefix, hub, env.ctx.logger);
    const app = createApp({
      config: env.config,
      logger: env.ctx.logger,
      checks: {},
      redis: withReplayWindow(env.ctx.redis),
      hub,
      channels,
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    channels.stop();
    await closeServer(server);
    await subscriber.quit();
    await env.close();
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Publishes in the window and gives the live copy time to reach the process before the replay reads. */
  const publishInWindow = (hostId: string, n: number) => {
    beforeReplay = async () => {
      await sendHostEvent(env.ctx, hostId, 'custom', { n });
      await sleep(100);
    };
  };

  it('delivers a message published between a new stream subscribing and reading history, once', async () => {
    const host = await createHostWithToken(env.ctx);
    publishInWindow(host.hostId, 1);
    const stream = openStream(`${base}/api/v1/hosts/${host.hostId}/events`, host.auth);
    try {
      await stream.waitFor('custom');
      await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 2 });
      await stream.waitFor('custom', 2);
      await sleep(100);
      expect(
        stream.events.map((e) => (e.type === 'custom' ? e.data.n : e.type)).filter((e) => e !== 'heartbeat'),
      ).toEqual(['connected', 1, 2]);
    } finally {
      stream.close();
    }
  });

  it("sends a message published during a resumed stream's replay window once, though both the replay and the live channel carry it", async () => {
    const host = await createHostWithToken(env.ctx);
    const seen = await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 1 });
    publishInWindow(host.hostId, 2);
    const stream = openStream(`${base}/api/v1/hosts/${host.hostId}/events`, host.auth, { 'Last-Event-ID': seen });
    try {
      const [connected] = await stream.waitFor('connected');
      expect(connected.data).toMatchObject({ resumed: true, replayed: 1 });
      await sendHostEvent(env.ctx, host.hostId, 'custom', { n: 3 });
      await stream.waitFor('custom', 2);
      await sleep(100);
      const customs = stream.of('custom');
      expect(customs.map((e) => e.data.n)).toEqual([2, 3]);
      expect(new Set(customs.map((e) => e.id)).size).toBe(2);
    } finally {
      stream.close();
    }
  });
}
