import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'bh_';

/** A new agent key: shown once; only its SHA-256 and a short display prefix are stored. */
export function generateApiKeyToken(): { token: string; hash: string; displayPrefix: string } {
  const token = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  return { token, hash: hashApiKeyToken(token), displayPrefix: token.slice(0, 10) };
}

export function hashApiKeyToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiKeyToken(token: string): boolean {
  return token.startsWith(KEY_PREFIX) && token.length > KEY_PREFIX.length + 16 && token.length < 200;
}
