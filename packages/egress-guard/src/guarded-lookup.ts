import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from './classify';
import { EgressBlockedError } from './errors';
import { parseHostAsIp } from './host';

/** The `dns.lookup(host, { all: true }, cb)` shape; injectable for tests. */
export type LookupAll = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

export interface GuardedLookupOptions {
  allowPrivateTargets: boolean;
  lookup?: LookupAll;
}

function firstBlocked(hostname: string, addresses: dns.LookupAddress[]): EgressBlockedError | null {
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'public') return new EgressBlockedError(hostname, address, kind);
  }
  return null;
}

/**
 * A `net.LookupFunction` for http(s) Agents: resolves, then refuses if ANY address is non-public,
 * so DNS rebinding after registration cannot reach an internal address at connect time.
 */
export function createGuardedLookup({
  allowPrivateTargets,
  lookup = dns.lookup,
}: GuardedLookupOptions): LookupFunction {
  return (hostname, options, callback) => {
    const wantAll = options?.all === true;
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (addresses.length === 0) {
        return callback(Object.assign(new Error(`No addresses for ${hostname}`), { code: 'ENOTFOUND' }), []);
      }
      const blocked = allowPrivateTargets ? null : firstBlocked(hostname, addresses);
      if (blocked) return callback(blocked, []);
      if (wantAll) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * Throws EgressBlockedError if `host` is a non-public IP literal; names pass (the lookup guards them).
 * Needed because net.connect skips `lookup` entirely when the host is already an IP (net.isIP).
 */
export function assertPublicIpLiteral(host: string): void {
  const ip = parseHostAsIp(host);
  if (!ip) return;
  const kind = classifyAddress(ip);
  if (kind !== 'public') throw new EgressBlockedError(host, ip, kind);
}
