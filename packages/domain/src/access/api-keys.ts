import { generateApiKeyToken, hashApiKeyToken, isScope, looksLikeApiKeyToken, type Scope } from '@bellhop/auth';
import type { ApiKey, Db } from '@bellhop/db';
import { newId } from '@bellhop/events';
import { TtlCache } from '../cache/ttl-cache';

export interface AgentIdentity { keyId: string; name: string; scopes: Scope[] }

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Every agent request authenticates, so identities are kept per process for a few seconds.
 * Revoking drops them at once in the revoking process; other processes notice within this TTL.
 */
const API_KEY_CACHE_TTL_MS = 5_000;
const identities = new TtlCache<string, AgentIdentity>(API_KEY_CACHE_TTL_MS);

export async function createApiKey(db: Db, input: { name: string; scopes: Scope[] }) {
  const { token, hash, displayPrefix } = generateApiKeyToken();
  const row = await db.apiKey.create({ data: { id: newId('apiKey'), name: input.name, prefix: displayPrefix, keyHash: hash, scopes: input.scopes } });
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: input.scopes, createdAt: row.createdAt, token };
}

export type ApiKeySummary = Omit<ApiKey, 'keyHash'>;

export function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true } });
}

/** Returns false when no such key exists; revoking twice keeps the first revocation time. */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  identities.deleteWhere((identity) => identity.keyId === id);
  return count > 0 || (await db.apiKey.count({ where: { id } })) > 0;
}

/** The agent behind a bearer token, or null when unknown or revoked. */
export async function authenticateApiKey(db: Db, token: string): Promise<AgentIdentity | null> {
  if (!looksLikeApiKeyToken(token)) return null;
  const keyHash = hashApiKeyToken(token);
  const cached = identities.get(keyHash);
  if (cached) return cached;
  const row = await db.apiKey.findUnique({ where: { keyHash } });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Coarse and off the request path: last_used_at is informational.
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  const identity = { keyId: row.id, name: row.name, scopes: row.scopes.filter(isScope) };
  identities.set(keyHash, identity);
  return identity;
}
