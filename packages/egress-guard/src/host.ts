import { parseIpv4 } from './ipv4';
import { formatIpv6, parseIpv6 } from './ipv6';

/** `[::1]` → `::1`; anything else unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Normalised IP if `host` is an IP literal in any accepted spelling (bracketed or bare IPv6,
 * decimal/octal/hex/short IPv4), else null (a name to be resolved).
 */
export function parseHostAsIp(host: string): string | null {
  const bare = stripBrackets(host.trim());
  const groups = parseIpv6(bare);
  if (groups) return formatIpv6(groups);
  return bare === host.trim() ? parseIpv4(bare) : null;
}
