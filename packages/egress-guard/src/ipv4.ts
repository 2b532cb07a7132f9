// One dotted/number part as inet_aton and WHATWG URL read it: 0x.. hex, 0.. octal, else decimal.
function parsePart(part: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part, 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return parseInt(part, 10);
  return null;
}

/**
 * Canonical dotted IPv4 for any spelling resolvers accept (`2130706433`, `0177.0.0.1`,
 * `0x7f.1`, `127.1`, one trailing dot), or null if `host` is not an IPv4 literal.
 */
export function parseIpv4(host: string): string | null {
  const parts = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  if (parts.length > 4) return null;
  const nums = parts.map(parsePart);
  if (nums.some((n) => n === null)) return null;
  const values = nums as number[];
  const last = values.pop() as number;
  // The last part fills all remaining bytes (a.b.c.d, a.b.16bit, a.24bit, 32bit).
  if (values.some((n) => n > 255) || last >= 256 ** (4 - values.length)) return null;
  const value = values.reduce((acc, n, i) => acc + n * 256 ** (3 - i), 0) + last;
  return numberToIpv4(value);
}

/** Canonical dotted IPv4 → unsigned 32-bit number. */
export function ipv4ToNumber(dotted: string): number {
  return dotted.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Unsigned 32-bit number → dotted IPv4. */
export function numberToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}
