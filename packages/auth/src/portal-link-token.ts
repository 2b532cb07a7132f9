import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const AUDIENCE = 'bellhop:portal-link';

/**
 * A portal sign-in link's token: an HS256 JWT (its own audience, so it is never a host token)
 * naming the API key it signs in as, with a random `jti` the exchange records to allow one use.
 */
export async function signPortalLinkToken(secret: string, apiKeyId: string, expiresAt: Date): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(apiKeyId)
    .setAudience(AUDIENCE)
    .setJti(randomBytes(16).toString('base64url'))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(new TextEncoder().encode(secret));
}

/** The key id, link id and expiry of a valid, unexpired link token; null otherwise. */
export async function verifyPortalLinkToken(
  secret: string,
  token: string,
): Promise<{ apiKeyId: string; linkId: string; expiresAt: Date } | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
    });
    if (!payload.sub || !payload.jti || !payload.exp) return null;
    return { apiKeyId: payload.sub, linkId: payload.jti, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return null;
  }
}
