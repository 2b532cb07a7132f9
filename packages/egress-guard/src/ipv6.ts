import { isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address (zone id ignored), or null if not IPv6. */
export function parseIpv6(input: string): number[] | null {
  const address = input.split('%')[0];
  if (!isIPv6(address)) return null;
  let text = address.toLowerCase();
  // Rewrite a dotted IPv4 tail (::ffff:1.2.3.4) as two hex groups.
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = text.slice(0, tail.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, rest] = text.split('::');
  const left = head ? head.split(':') : [];
  if (rest === undefined) return left.map((g) => parseInt(g, 16));
  const right = rest ? rest.split(':') : [];
  const zeros = new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

/** RFC 5952 text (lowercase, longest zero run of 2+ groups compressed) — same as WHATWG URL. */
export function formatIpv6(groups: number[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
