import { ipv4ToNumber, parseIpv4 } from './ipv4';
import { parseIpv6 } from './ipv6';
import { stripBrackets } from './host';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'documentation'
  | 'reserved'
  | 'invalid';

// First match wins, so 255.255.255.255 sits before 240/4.
const IPV4_RANGES: Array<[string, number, AddressClass]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

function classifyIpv4(value: number): AddressClass {
  for (const [base, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === ipv4ToNumber(base)) return kind;
  }
  return 'public';
}

const embedded = (hi: number, lo: number): AddressClass => classifyIpv4(((hi << 16) | lo) >>> 0);

function classifyIpv6(g: number[]): AddressClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped ::ffff:0:0/96, SIIT ::ffff:0:0:0/96 and deprecated IPv4-compatible ::/96.
  if (zeroUpTo(5) && g[5] === 0xffff) return embedded(g[6], g[7]);
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return embedded(g[6], g[7]);
  if (zeroUpTo(6)) return embedded(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6], g[7]); // NAT64
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'reserved'; // local-use NAT64, RFC 8215
  if (g[0] === 0x2002) return embedded(g[1], g[2]); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return embedded(g[6] ^ 0xffff, g[7] ^ 0xffff); // Teredo client, obfuscated
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'documentation';
  if (g[0] === 0x3fff && g[1] < 0x1000) return 'documentation'; // 3fff::/20, RFC 9637
  if (g[0] === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return 'reserved'; // discard-only 100::/64
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return (g[0] & 0xe000) === 0x2000 ? 'public' : 'reserved'; // only 2000::/3 is global unicast
}

/** 'public', or the class that makes `ip` unfit as a webhook target ('invalid' if not an IP). */
export function classifyAddress(ip: string): AddressClass {
  const bare = stripBrackets(ip.trim());
  const groups = parseIpv6(bare);
  if (groups) return classifyIpv6(groups);
  const v4 = parseIpv4(bare);
  return v4 ? classifyIpv4(ipv4ToNumber(v4)) : 'invalid';
}
