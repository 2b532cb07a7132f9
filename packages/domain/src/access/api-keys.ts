import { generateApiKeyToken, hashApiKeyToken, looksLikeApiKeyToken } from '@bellhop/auth/api-key-token';
import { isScope, type Scope } from '@bellhop/auth/scopes';
import type { Agent, AgentKind, ApiKey, Db } from '@bellhop/db';
import { invalid, notFound } from '@bellhop/errors';
import { newId } from '@bellhop/events';
import { TtlCache } from '../cache/ttl-cache';

/** Who is calling with an API key: the key (its scopes, the rate limit set on it) and the agent it belongs to. */
export interface AgentIdentity {
  keyId: string;
  name: string;
  scopes: Scope[];
  rateLimitPerMinute: number | null;
  agent: Pick<Agent, 'id' | 'name' | 'kind'>;
}

/**
 * Requests a minute a key may send to /api/v1/external when none is set on it. The platform
 * agent is the booking platform's backend, an event producer: its default is above the
 * maximum ingest rate the bench measures (about 3,200 events a second).
 */
export const DEFAULT_RATE_LIMITS: Record<AgentKind, number> = { partner: 600, platform: 300_000 };
/** The most a key may be given: a bound against typing mistakes, far above what one API process serves. */
export const MAX_RATE_LIMIT_PER_MINUTE = 10_000_000;

/** The key's budget a minute: the limit set on it, else its kind's default times RATE_LIMIT_SCALE. */
export function effectiveRateLimit(key: { rateLimitPerMinute: number | null; kind: AgentKind }, scale: number): number {
  return key.rateLimitPerMinute ?? Math.max(1, Math.round(DEFAULT_RATE_LIMITS[key.kind] * scale));
}

function checkRateLimit(perMinute: number | null): number | null {
  if (
    perMinute !== null &&
    !(Number.isInteger(perMinute) && perMinute >= 1 && perMinute <= MAX_RATE_LIMIT_PER_MINUTE)
  ) {
    throw invalid(`rate_limit_per_minute must be a whole number from 1 to ${MAX_RATE_LIMIT_PER_MINUTE}, or null`, [
      { field: 'rate_limit_per_minute', message: 'out of range' },
    ]);
  }
  return perMinute;
}

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
export async function createApiKey(
  db: Db,
  input: { agentId: string; name: string; scopes: Scope[]; rateLimitPerMinute?: number | null },
) {
  const rateLimitPerMinute = checkRateLimit(input.rateLimitPerMinute ?? null);
  const agent = await db.agent.findUnique({ where: { id: input.agentId } });
  if (!agent) throw notFound('Agent');
  const { token, hash, displayPrefix } = generateApiKeyToken();
  const row = await db.apiKey.create({
    data: {
      id: newId('apiKey'),
      agentId: agent.id,
      name: input.name,
      prefix: displayPrefix,
      keyHash: hash,
      scopes: input.scopes,
      rateLimitPerMinute,
    },
  });
  const owner = { id: agent.id, name: agent.name, kind: agent.kind };
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: input.scopes,
    rateLimitPerMinute: row.rateLimitPerMinute,
    createdAt: row.createdAt,
    agent: owner,
    token,
  };
}

export type ApiKeySummary = Omit<ApiKey, 'keyHash'> & { agent: Pick<Agent, 'id' | 'name' | 'kind'> };

const SUMMARY = {
  id: true,
  agentId: true,
  name: true,
  prefix: true,
  scopes: true,
  rateLimitPerMinute: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  agent: { select: { id: true, name: true, kind: true } },
} as const;

export function listApiKeys(db: Db, filter: { agentId?: string } = {}): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({ where: { agentId: filter.agentId }, orderBy: { createdAt: 'asc' }, select: SUMMARY });
}

/**
 * Sets the key's rate limit (requests a minute; null: its kind's default); null when no such key.
 * The process that changes it applies it at once; other API processes within API_KEY_CACHE_TTL_MS.
 */
export async function setApiKeyRateLimit(
  db: Db,
  id: string,
  rateLimitPerMinute: number | null,
): Promise<ApiKeySummary | null> {
  const { count } = await db.apiKey.updateMany({
    where: { id },
    data: { rateLimitPerMinute: checkRateLimit(rateLimitPerMinute) },
  });
  identities.deleteWhere((identity) => identity.keyId === id);
  return count === 0 ? null : db.apiKey.findUnique({ where: { id }, select: SUMMARY });
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
  const row = await db.apiKey.findUnique({
    where: { keyHash },
    include: { agent: { select: { id: true, name: true, kind: true } } },
  });
  if (!row || row.revokedAt) {
    unknownKeys.set(keyHash, true);
    return null;
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Coarse and off the request path: last_used_at is informational.
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  const identity = {
    keyId: row.id,
    name: row.name,
    scopes: row.scopes.filter(isScope),
    rateLimitPerMinute: row.rateLimitPerMinute,
    agent: row.agent,
  };
  identities.set(keyHash, identity);
  return identity;
}
