import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

const SECRET_PREFIX = 'whsk_';
const PUBLIC_PREFIX = 'whpk_';
// DER headers that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI); Node reads keys only in these forms.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

function raw(prefixed: string, prefix: string, what: string): Buffer {
  const encoded = prefixed.startsWith(prefix) ? prefixed.slice(prefix.length) : prefixed;
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) throw new Error(`${what} is malformed: expected "${prefix}" followed by base64 of 32 bytes`);
  return bytes;
}

/** A Standard Webhooks v1a key pair: `whsk_` + base64 of the 32-byte Ed25519 seed, `whpk_` + base64 of the raw public key. */
export function generateSigningKeyPair(): { secretKey: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(PKCS8_ED25519.length);
  const secretKey = SECRET_PREFIX + seed.toString('base64');
  return { secretKey, publicKey: publicKeyOf(secretKey) };
}

/** The private key of a `whsk_` secret key, for signing. */
export function signingKey(secretKey: string): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, raw(secretKey, SECRET_PREFIX, 'Signing key')]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** The `whpk_` public key that verifies what a `whsk_` secret key signs. */
export function publicKeyOf(secretKey: string): string {
  const spki = createPublicKey(signingKey(secretKey)).export({ type: 'spki', format: 'der' });
  return PUBLIC_PREFIX + spki.subarray(SPKI_ED25519.length).toString('base64');
}

/** The public key object of a `whpk_` key (prefix optional), for verifying. */
export function verifyingKey(publicKey: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519, raw(publicKey, PUBLIC_PREFIX, 'Public key')]),
    format: 'der',
    type: 'spki',
  });
}
