import { SCOPES, signHostToken, type Scope } from '@bellhop/auth';
import type { AgentKind } from '@bellhop/db';
import {
  createAgent,
  createApiKey,
  createHost,
  grantHostAccess,
  type ActingAgent,
  type DomainContext,
} from '@bellhop/domain';
import { randomBytes } from 'node:crypto';

export interface AgentKeyOptions {
  scopes?: readonly Scope[];
  name?: string;
  kind?: AgentKind;
}

/**
 * A new agent and an API key of it; `auth` is ready for supertest's `.set('Authorization', …)`.
 * A platform agent (the default) acts for every host, as most tests need; tenancy tests ask for partners.
 */
export async function createAgentKey(ctx: DomainContext, options: AgentKeyOptions = {}) {
  const kind = options.kind ?? 'platform';
  const agent = await createAgent(ctx.db, { name: options.name ?? `test-${kind}`, kind });
  const key = await createApiKey(ctx.db, {
    agentId: agent.id,
    name: `${agent.name} key`,
    scopes: [...(options.scopes ?? SCOPES)],
  });
  const acting: ActingAgent = { id: agent.id, kind, keyId: key.id };
  return { agentId: agent.id, keyId: key.id, token: key.token, auth: `Bearer ${key.token}`, agent: acting };
}

/** A partner agent with a key, granted by each of `hostIds`. */
export async function createPartnerKey(
  ctx: DomainContext,
  hostIds: string[] = [],
  options: Omit<AgentKeyOptions, 'kind'> = {},
) {
  const partner = await createAgentKey(ctx, { ...options, kind: 'partner' });
  for (const hostId of hostIds) await grantHostAccess(ctx, hostId, partner.agentId);
  return partner;
}

/** A host and a valid host token for it. */
export async function createHostWithToken(ctx: DomainContext, options: { autoApproveBookings?: boolean } = {}) {
  const tag = randomBytes(4).toString('hex');
  const host = await createHost(ctx.db, { name: `Host ${tag}`, email: `host-${tag}@example.test`, ...options });
  const token = await signHostToken(ctx.config.JWT_SECRET, host.id, 3600);
  return { host, hostId: host.id, token, auth: `Bearer ${token}` };
}

export const adminAuth = (ctx: DomainContext) => `Bearer ${ctx.config.ADMIN_TOKEN}`;
