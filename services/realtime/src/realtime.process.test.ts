import { announceToAllHosts, sendHostEvent } from '@bellhop/domain';
import { createHostWithToken, createTestEnv, eventually, freePort, startServiceProcess, type TestEnv } from '@bellhop/testing';
import { openStream } from './__tests__/sse-client';

let env: TestEnv;
beforeAll(async () => { env = await createTestEnv(); });
afterAll(async () => { await env.close(); });

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
