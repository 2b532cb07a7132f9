import net from 'node:net';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createSubscription } from './subscriptions.service';
import { assertWebhookTarget } from './webhook-target';

let env: TestEnv;
let owner: string;
const outbound: string[] = [];
const seen: string[] = []; // every socket, to show the spy is live
const realConnect = net.Socket.prototype.connect;
beforeAll(async () => {
  // Installed before the test env connects: records every socket, and those to anything but loopback (Postgres/Redis are on 127.0.0.1).
  jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    const opts = args[0] as { host?: string; path?: string } | number;
    const host =
      typeof opts === 'object'
        ? (opts.host ?? (opts.path ? 'unix' : 'localhost'))
        : ((args[1] as string | undefined) ?? 'localhost');
    seen.push(host);
    if (!['127.0.0.1', '::1', 'localhost', 'unix'].includes(host)) outbound.push(host);
    return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  });
  env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_ALLOW_HTTP: 'false' });
  owner = (await createAgentKey(env.ctx)).agentId;
});
afterAll(async () => {
  jest.restoreAllMocks();
  await env.close();
});

const input = (url: string) => ({ agent_name: 'a', webhook_url: url, events: ['booking.created'] });
const resolverFor = (table: Record<string, string[]>) =>
  jest.fn(async (host: string) => {
    if (!(host in table)) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return table[host];
  });

describe('address guard at registration', () => {
  it.each([
    ['a name resolving to 10.x', ['10.0.0.7'], 'resolves to 10.0.0.7'],
    ['a name with one private address among public ones', ['93.184.215.14', 'fd00::1'], 'fd00::1'],
    ['a name resolving to an IPv4-mapped loopback', ['::ffff:127.0.0.1'], '::ffff:127.0.0.1'],
    ['a name resolving to the metadata address', ['169.254.169.254'], '169.254.169.254'],
  ])('refuses %s before writing or connecting anything', async (_label, addresses, reason) => {
    const resolveHost = resolverFor({ 'hooks.partner.example': addresses });
    const attempt = createSubscription(env.ctx, owner, input('https://hooks.partner.example/in'), { resolveHost });
    await expect(attempt).rejects.toMatchObject({
      kind: 'invalid',
      code: 'invalid_webhook_url',
      message: expect.stringContaining(reason),
    });
    expect(resolveHost).toHaveBeenCalledWith('hooks.partner.example');
    expect(await env.ctx.db.webhookSubscription.count()).toBe(0);
    expect(outbound).toEqual([]);
  });

  it('refuses a name that does not resolve', async () => {
    await expect(
      assertWebhookTarget(env.ctx, 'https://nowhere.partner.example/', { resolveHost: resolverFor({}) }),
    ).rejects.toMatchObject({ kind: 'invalid', message: expect.stringContaining('ENOTFOUND') });
  });

  it('accepts a name resolving only to public addresses', async () => {
    const resolveHost = resolverFor({
      'hooks.partner.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    });
    const { subscription } = await createSubscription(env.ctx, owner, input('https://hooks.partner.example/in'), {
      resolveHost,
    });
    expect(subscription.webhookUrl).toBe('https://hooks.partner.example/in');
    expect(outbound).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('allows loopback and private targets, without resolving, when WEBHOOK_ALLOW_PRIVATE_TARGETS is on', async () => {
    const devCtx = {
      ...env.ctx,
      config: { ...env.ctx.config, WEBHOOK_ALLOW_PRIVATE_TARGETS: true, WEBHOOK_ALLOW_HTTP: true },
    };
    const resolveHost = resolverFor({});
    for (const url of [
      'http://127.0.0.1:4000/hooks',
      'https://[::1]/x',
      'https://internal.service/x',
      'http://10.0.0.7/x',
    ]) {
      await expect(assertWebhookTarget(devCtx, url, { resolveHost })).resolves.toBeUndefined();
    }
    expect(resolveHost).not.toHaveBeenCalled();
    await expect(assertWebhookTarget(devCtx, 'https://u:p@127.0.0.1/x', { resolveHost })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
