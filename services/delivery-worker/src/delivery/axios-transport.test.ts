import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAll } from '@bellhop/egress-guard';
import { fanOutEvents, recordEvent, runDelivery } from '@bellhop/domain';
import { createAgentKey, createTestEnv, startReceiver, type Receiver, type TestEnv } from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { createAxiosTransport } from './axios-transport';

let env: TestEnv;
let receiver: Receiver;
let agent: { agentId: string };
const transports: { close(): void }[] = [];

/** Resolves every name to one address, like a rebinding DNS server would. */
const resolvesTo =
  (address: string): LookupAll =>
  (_host, _opts, cb) =>
    cb(null, [{ address, family: 4 }]);

function transport(options: Parameters<typeof createAxiosTransport>[0]) {
  const t = createAxiosTransport(options);
  transports.push(t);
  return t;
}

beforeAll(async () => {
  env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
  agent = await createAgentKey(env.ctx);
  receiver = await startReceiver(() => ({ status: 200, body: 'x'.repeat(100_000) }));
});
afterAll(async () => {
  transports.forEach((t) => t.close());
  await receiver.close();
  await env.close();
});

const request = (url: string) => ({ url, headers: {}, body: '{}', timeoutMs: 2000 });

describe('guarded webhook transport', () => {
  it('refuses a private IP literal without connecting', async () => {
    await expect(transport({ allowPrivateTargets: false })(request(receiver.url))).rejects.toThrow(
      /Refusing to connect to 127\.0\.0\.1/,
    );
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to a private address at connect time', async () => {
    await expect(
      transport({ allowPrivateTargets: false, lookup: resolvesTo('10.1.2.3') })(request('http://hooks.partner.test/x')),
    ).rejects.toThrow(/10\.1\.2\.3/);
    await expect(
      transport({ allowPrivateTargets: false, lookup: resolvesTo('127.0.0.1') })(
        request(`http://hooks.partner.test:${receiver.port}/x`),
      ),
    ).rejects.toThrow(/loopback/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('sends with the Bellhop User-Agent and reads at most 64 KB of the answer', async () => {
    const res = await transport({ allowPrivateTargets: true, lookup: resolvesTo('127.0.0.1') })(
      request(`http://hooks.partner.test:${receiver.port}/ok`),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBe(64 * 1024);
    expect(receiver.requests.at(-1)?.headers['user-agent']).toMatch(/^Bellhop\//);
  });

  it('sends the body byte for byte, multi-byte characters included', async () => {
    const body = JSON.stringify({ guest: 'Zoë Müller 🏖' });
    await transport({ allowPrivateTargets: true })({
      url: `${receiver.url}/utf8`,
      headers: { 'Content-Type': 'application/json' },
      body,
      timeoutMs: 2000,
    });
    expect(receiver.requests.at(-1)).toMatchObject({
      path: '/utf8',
      body,
      headers: expect.objectContaining({ 'content-type': 'application/json' }),
    });
  });

  it('reports a redirect as it is, without following it, with lower-case headers', async () => {
    receiver.setReply(() => ({ status: 302, headers: { Location: '/elsewhere', 'Retry-After': '7' } }));
    try {
      const before = receiver.requests.length;
      const res = await transport({ allowPrivateTargets: true })(request(`${receiver.url}/moved`));
      expect(res).toMatchObject({
        statusCode: 302,
        headers: expect.objectContaining({ location: '/elsewhere', 'retry-after': '7' }),
      });
      expect(receiver.requests.slice(before).map((r) => r.path)).toEqual(['/moved']);
    } finally {
      receiver.setReply(() => ({ status: 200, body: 'x'.repeat(100_000) }));
    }
  });

  it('gives up on a receiver that stalls halfway through its answer once the timeout has passed', async () => {
    const stalling = createServer((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = stalling.address() as AddressInfo;
      await expect(
        transport({ allowPrivateTargets: true })({ ...request(`http://127.0.0.1:${port}/slow`), timeoutMs: 300 }),
      ).rejects.toThrow(/timeout of 300ms exceeded/);
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }
  });

  it('records a guard refusal as a failed attempt of the delivery', async () => {
    const { sub } = await createSubscription(env.ctx, agent.agentId, 'http://rebound.partner.test/hook', {
      maxRetries: 0,
      maxFailedAttempts: 10,
    });
    const event = await recordEvent(env.ctx, { type: 'booking.created', data: {} });
    await fanOutEvents(env.ctx, [event.id]);
    const delivery = await env.ctx.db.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    const run = await runDelivery(
      env.ctx,
      delivery.id,
      transport({ allowPrivateTargets: false, lookup: resolvesTo('10.0.0.7') }),
    );
    expect(run).toEqual({ kind: 'failed', disabled: false });
    const attempt = await env.ctx.db.deliveryAttempt.findFirstOrThrow({ where: { deliveryId: delivery.id } });
    expect(attempt).toMatchObject({ statusCode: null, error: expect.stringMatching(/EADDRNOTALLOWED.*10\.0\.0\.7/) });
  });
});
