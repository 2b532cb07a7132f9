import dns from 'node:dns';

// Test-only fixtures: a fake DNS table, and a trap that fails a test if real DNS is touched.
export const FAKE_DNS: Record<string, string[]> = {
  'internal.example': ['10.1.2.3'],
  'mixed.example': ['93.184.216.34', '192.168.0.5'],
  'public.example': ['93.184.216.34'],
  'rebound.example': ['10.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'v6-internal.example': ['2606:4700::1', 'fd12::1'],
  'empty.example': [],
};

export function notFound(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
}

export const fakeResolve = jest.fn(async (host: string): Promise<string[]> => {
  const addresses = FAKE_DNS[host];
  if (!addresses) throw notFound(host);
  return addresses;
});

export function trapRealDns(): void {
  const fail = () => {
    throw new Error('test touched real DNS');
  };
  jest.spyOn(dns, 'lookup').mockImplementation(fail);
  jest.spyOn(dns.promises, 'lookup').mockImplementation(fail);
}
