import { createHash, randomBytes } from 'node:crypto';
import { isScope, signPortalLinkToken, verifyPortalLinkToken } from '@bellhop/auth';
import { isUniqueViolation, type Db, type WebSessionKind } from '@bellhop/db';
import type { AgentIdentity } from './api-keys';

/**
 * Browser sessions (the agent portal's and the operator's), kept in Postgres so a Redis wipe
 * signs nobody out. Tokens are random and shown once; rows hold their SHA-256. A portal session
 * acts as the API key that opened it, so it has exactly that key's scopes and agent, and ends
 * when the key is revoked. Portal links are signed tokens (nothing stored until one is used):
 * using one records its id, so it works once.
 */
export interface WebSession {
  kind: WebSessionKind;
  csrfToken: string;
  expiresAt: Date;
  identity?: AgentIdentity;
}
export interface IssuedToken {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

type SessionKind = Exclude<WebSessionKind, 'portal_link'>;
const TOKEN_PREFIX: Record<SessionKind, string> = { portal: 'bhps_', admin: 'bhas_' };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** A new session; expired rows (sessions and used links) are swept on the way, so the table stays small without a job. */
async function issueWebSession(
  db: Db,
  input: { kind: SessionKind; ttlMs: number; apiKeyId?: string },
): Promise<IssuedToken> {
  const token = `${TOKEN_PREFIX[input.kind]}${randomToken()}`;
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await db.webSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db.webSession.create({
    data: { tokenHash: hashToken(token), kind: input.kind, apiKeyId: input.apiKeyId ?? null, csrfToken, expiresAt },
  });
  return { token, csrfToken, expiresAt };
}

/** The operator signed in (with ADMIN_TOKEN, checked by the caller). */
export function openAdminSession(db: Db, ttlMs: number): Promise<IssuedToken> {
  return issueWebSession(db, { kind: 'admin', ttlMs });
}

/** A portal session acting as this API key, or null when the key is unknown or revoked. */
export async function openPortalSession(
  db: Db,
  apiKeyId: string,
  ttlMs: number,
): Promise<(IssuedToken & { identity: AgentIdentity }) | null> {
  const identity = await liveKeyIdentity(db, apiKeyId);
  if (!identity) return null;
  return { ...(await issueWebSession(db, { kind: 'portal', ttlMs, apiKeyId })), identity };
}

/** The live session behind a cookie value, or null (unknown, expired, another kind, or its API key revoked). */
export async function findWebSession(db: Db, kind: SessionKind, token: string): Promise<WebSession | null> {
  if (!token.startsWith(TOKEN_PREFIX[kind]) || token.length > 200) return null;
  const row = await db.webSession.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.kind !== kind || row.expiresAt <= new Date()) return null;
  if (kind === 'admin') return { kind, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
  const identity = row.apiKeyId ? await liveKeyIdentity(db, row.apiKeyId) : null;
  return identity && { kind, csrfToken: row.csrfToken, expiresAt: row.expiresAt, identity };
}

/** A one-time sign-in link token for the portal, acting as this API key; nothing is stored. */
export async function issuePortalLink(
  secret: string,
  apiKeyId: string,
  ttlMs: number,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Math.floor((Date.now() + ttlMs) / 1000) * 1000);
  return { token: await signPortalLinkToken(secret, apiKeyId, expiresAt), expiresAt };
}

/** Uses a portal link up: the API key it signs in as, or null if forged, expired or used before. Two concurrent uses: one wins. */
export async function consumePortalLink(db: Db, secret: string, token: string): Promise<string | null> {
  if (token.length > 1000) return null;
  const link = await verifyPortalLinkToken(secret, token);
  if (!link) return null;
  try {
    await db.webSession.create({
      data: {
        tokenHash: hashToken(`link:${link.linkId}`),
        kind: 'portal_link',
        apiKeyId: link.apiKeyId,
        csrfToken: '',
        expiresAt: link.expiresAt,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  return link.apiKeyId;
}

/** Signs out: the cookie value stops working at once, in every process. */
export async function endWebSession(db: Db, token: string): Promise<void> {
  await db.webSession.deleteMany({ where: { tokenHash: hashToken(token) } });
}

/** The identity an unrevoked API key gives, as authenticateApiKey gives it for the key's token. */
async function liveKeyIdentity(db: Db, apiKeyId: string): Promise<AgentIdentity | null> {
  const row = await db.apiKey.findUnique({
    where: { id: apiKeyId },
    include: { agent: { select: { id: true, name: true, kind: true } } },
  });
  if (!row || row.revokedAt) return null;
  return {
    keyId: row.id,
    name: row.name,
    scopes: row.scopes.filter(isScope),
    rateLimitPerMinute: row.rateLimitPerMinute,
    agent: row.agent,
  };
}
