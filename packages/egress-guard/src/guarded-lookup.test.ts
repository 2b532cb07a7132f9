import dns from 'node:dns';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { FAKE_DNS, notFound, trapRealDns } from './__tests__/fake-dns';
import { EgressBlockedError } from './errors';
import { assertPublicIpLiteral, createGuardedLookup, type LookupAll } from './guarded-lookup';

const fakeLookup: LookupAll = (hostname, _options, callback) => {
  const addresses = FAKE_DNS[hostname];
  if (!addresses) return process.nextTick(callback, notFound(hostname), []);
  const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  process.nextTick(callback, null, entries);
};

function lookupAsync(lookup: LookupFunction, host: string, options: dns.LookupOptions) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
    lookup(host, options, (err, address, family) => resolve({ err, address, family })),
  );
}

beforeEach(trapRealDns);
afterEach(() => jest.restoreAllMocks());

describe('createGuardedLookup', () => {
  const guarded = createGuardedLookup({ allowPrivateTargets: false, lookup: fakeLookup });

  it.each(['internal.example', 'mixed.example', 'metadata.example', 'v6-internal.example'])(
    'refuses %s',
    async (host) => {
      for (const options of [{}, { all: true }]) {
        const { err } = await lookupAsync(guarded, host, options);
        expect(err).toBeInstanceOf(EgressBlockedError);
        expect(err?.code).toBe('EADDRNOTALLOWED');
        expect(err?.message).toMatch(
          new RegExp(`^Refusing to connect to ${host.replace('.', '\\.')} \\(.+\\): [a-z-]+ address$`),
        );
      }
    },
  );

  it('names the blocked address and its class', async () => {
    const { err } = await lookupAsync(guarded, 'mixed.example', { all: true });
    expect(err).toMatchObject({ address: '192.168.0.5', addressClass: 'private', hostname: 'mixed.example' });
  });

  it('passes public answers through in both single and all forms', async () => {
    expect(await lookupAsync(guarded, 'public.example', {})).toEqual({
      err: null,
      address: '93.184.216.34',
      family: 4,
    });
    expect(await lookupAsync(guarded, 'public.example', { all: true })).toMatchObject({
      err: null,
      address: [{ address: '93.184.216.34', family: 4 }],
    });
  });

  it('forwards resolver errors and treats an empty answer as not found', async () => {
    expect((await lookupAsync(guarded, 'nowhere.example', {})).err?.code).toBe('ENOTFOUND');
    expect((await lookupAsync(guarded, 'empty.example', {})).err?.code).toBe('ENOTFOUND');
  });

  it('lets private answers through when allowPrivateTargets', async () => {
    const lax = createGuardedLookup({ allowPrivateTargets: true, lookup: fakeLookup });
    expect(await lookupAsync(lax, 'internal.example', {})).toEqual({ err: null, address: '10.1.2.3', family: 4 });
  });

  it('makes http.request fail before any socket connects', async () => {
    const agent = new http.Agent({ lookup: createGuardedLookup({ allowPrivateTargets: false, lookup: fakeLookup }) });
    let connected = false;
    const err = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = http.request({ host: 'rebound.example', port: 80, path: '/hook', agent }, () =>
        reject(new Error('got a response')),
      );
      req.on('socket', (socket) =>
        socket.on('connect', () => {
          connected = true;
        }),
      );
      req.on('error', resolve);
      req.end();
    });
    agent.destroy();
    expect(err).toBeInstanceOf(EgressBlockedError);
    expect(err.code).toBe('EADDRNOTALLOWED');
    expect(err.message).toBe('Refusing to connect to rebound.example (10.0.0.1): private address');
    expect(connected).toBe(false);
  });
});

describe('assertPublicIpLiteral', () => {
  it.each(['127.0.0.1', '[::1]', '::ffff:7f00:1', '10.0.0.1', '169.254.169.254', '0x7f.1', '2130706433'])(
    'throws for %s',
    (host) => {
      expect(() => assertPublicIpLiteral(host)).toThrow(EgressBlockedError);
    },
  );

  it.each(['8.8.8.8', '[2606:4700:4700::1111]', 'internal.example'])(
    'passes %s (names are left to the lookup)',
    (host) => {
      expect(() => assertPublicIpLiteral(host)).not.toThrow();
    },
  );
});
