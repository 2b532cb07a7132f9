import { generateApiKeyToken, hashApiKeyToken, isScope, looksLikeApiKeyToken, type Scope } from '@bellhop/auth';
import type { Agent, ApiKey, Db } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import { newId } from '@bellhop/events';
import { TtlCache } from '../cache/ttl-cache';

/** Who is calling with an API key: the key (its scopes) and the agent it belongs to. */
export interface AgentIdentity { keyId: string; name: string; scopes: Scope[]; agent: Pick<Agent, 'id' | 'name' | 'kind'> }

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Every agent request authenticates, so identities are kept per process for a few seconds.
 * Revoking drops them at once in the revoking process; other processes notice within this TTL.
 */
const API_KEY_CACHE_TTL_MS = 5_000;
const identities = new TtlCache<string, AgentIdentity>(API_KEY_CACHE_TTL_MS);
/** Made-up or revoked tokens are remembered as unknown, so repeating one costs no database lookup. */
const unknownKeys = new TtlCache<string, true>(API_KEY_CACHE_TTL_MS);

/** A new key for an existing agent; the token is returned here and never again. */
export async function createApiKey(db: Db, input: { agentId: string; name: string; scopes: Scope[] }) {
  const agent = await db.agent.findUnique({ where: { id: input.agentId } });
  if (!agent) throw notFound('Agent');
  const { token, hash, displayPrefix } = generateApiKeyToken();
  const row = await db.apiKey.create({ data: { id: newId('apiKey'), agentId: agent.id, name: input.name, prefix: displayPrefix, keyHash: hash, scopes: input.scopes } });
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: input.scopes, createdAt: row.createdAt, agent: { id: agent.id, name: agent.name, kind: agent.kind }, token };
}

export type ApiKeySummary = Omit<ApiKey, 'keyHash'>;

export function listApiKeys(db: Db, filter: { agentId?: string } = {}): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    where: { agentId: filter.agentId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, agentId: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
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
  if (unknownKeys.get(keyHash)) return null;
  const row = await db.apiKey.findUnique({ where: { keyHash }, include: { agent: { select: { id: true, name: true, kind: true } } } });
  if (!row || row.revokedAt) {
    unknownKeys.set(keyHash, true);
    return null;
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Coarse and off the request path: last_used_at is informational.
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  const identity = { keyId: row.id, name: row.name, scopes: row.scopes.filter(isScope), agent: row.agent };
  identities.set(keyHash, identity);
  return identity;
}
