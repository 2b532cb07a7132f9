import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32

/** Random bytes are drawn from the OS in blocks: one call per 256 ids rather than one per id. */
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let used = 0;

function random16(): Buffer {
  if (used + 16 > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

/** A ULID: 48-bit millisecond time + 80 random bits, so ids sort by creation time. */
export function ulid(now = Date.now()): string {
  let time = '';
  for (let i = 0, t = now; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  const random = random16();
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[random[i] % 32];
  return time + rand;
}

/** Prefixed ids say what they name: evt_…, sub_…, dlv_… */
export const ID_PREFIXES = {
  agent: 'agt',
  apiKey: 'key',
  host: 'hst',
  property: 'prop',
  booking: 'bkg',
  event: 'evt',
  subscription: 'sub',
  delivery: 'dlv',
  attempt: 'att',
  notification: 'ntf',
  inboundConnection: 'inb',
  inboundReceipt: 'rcp',
  recovery: 'rcv',
} as const;

export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${ulid()}`;
}
