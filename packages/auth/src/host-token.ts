import type * as Jose from 'jose';

// Loaded on the first token signed or checked, not with the package: jose is most of its load
// time, and the CLI's usage and key commands never need it.
let jose: Promise<typeof Jose> | undefined;
const loadJose = () => (jose ??= import('jose'));

const AUDIENCE = 'bellhop:host';

export class InvalidHostTokenError extends Error {}

/** A host token: HS256 JWT whose `sub` is the host id. */
export async function signHostToken(secret: string, hostId: string, ttlSeconds: number): Promise<string> {
  const { SignJWT } = await loadJose();
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(hostId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** Returns the host id, or throws InvalidHostTokenError (bad signature, expired, wrong audience). */
export async function verifyHostToken(secret: string, token: string): Promise<string> {
  const { jwtVerify } = await loadJose();
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
    });
    if (!payload.sub) throw new Error('token has no subject');
    return payload.sub;
  } catch (error) {
    throw new InvalidHostTokenError((error as Error).message);
  }
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}
