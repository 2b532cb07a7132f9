import type { Agent, Host } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';
import type { ActingAgent } from './agents';
import { hostsActedForBy } from './host-scope';

/** Why a partner's delivery was cancelled when the host took its grant back. */
export const GRANT_REVOKED = 'grant revoked';

export interface Grant {
  hostId: string;
  agent: Pick<Agent, 'id' | 'name' | 'kind'>;
  grantedAt: Date;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const AGENT_FIELDS = { id: true, name: true, kind: true } as const;

/** Grants need only the database and a logger, so the operator CLI calls them without queues. */
type GrantDeps = Pick<DomainContext, 'db' | 'logger'>;

/** Lets a partner agent act for a host; granting twice keeps the first grant. 404 for an unknown host or agent. */
export async function grantHostAccess(
  ctx: GrantDeps,
  hostId: string,
  agentId: string,
): Promise<{ grant: Grant; created: boolean }> {
  const [host, agent] = await Promise.all([
    ctx.db.host.findUnique({ where: { id: hostId }, select: { id: true } }),
    ctx.db.agent.findUnique({ where: { id: agentId }, select: AGENT_FIELDS }),
  ]);
  if (!host) throw notFound('Host');
  if (!agent) throw notFound('Agent');
  const { count } = await ctx.db.hostAgentGrant.createMany({ data: [{ hostId, agentId }], skipDuplicates: true });
  const row = await ctx.db.hostAgentGrant.findUniqueOrThrow({ where: { hostId_agentId: { hostId, agentId } } });
  ctx.logger.info('host granted agent', { hostId, agentId, created: count > 0 });
  return { grant: { hostId, agent, grantedAt: row.createdAt }, created: count > 0 };
}

/**
 * Takes a grant back. The partner's deliveries about this host that are not yet sent are
 * cancelled in the same transaction (the fan-out and the delivery worker check grants too,
 * so nothing recorded later reaches it). False when there was no such grant.
 */
export async function revokeHostAccess(ctx: GrantDeps, hostId: string, agentId: string): Promise<boolean> {
  const now = new Date();
  const [removed, cancelled] = await ctx.db.$transaction([
    ctx.db.hostAgentGrant.deleteMany({ where: { hostId, agentId } }),
    ctx.db.delivery.updateMany({
      where: {
        status: 'pending',
        event: { hostId, targetSubscriptionId: null },
        subscription: { ownerAgentId: agentId, owner: { kind: 'partner' } },
      },
      data: {
        status: 'cancelled',
        cancelledReason: GRANT_REVOKED,
        nextAttemptAt: null,
        heldAt: null,
        pausedAt: null,
        completedAt: now,
      },
    }),
  ]);
  if (removed.count > 0)
    ctx.logger.info('host revoked agent', { hostId, agentId, cancelledDeliveries: cancelled.count });
  return removed.count > 0;
}

/** The agents a host granted, oldest grant first; the cursor is the last agent id seen. */
export async function listHostGrants(
  ctx: Pick<DomainContext, 'db'>,
  hostId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Grant>> {
  const rows = await ctx.db.hostAgentGrant.findMany({
    where: { hostId, ...(page.cursor ? { agentId: { gt: page.cursor } } : {}) },
    orderBy: { agentId: 'asc' },
    take: page.limit + 1,
    include: { agent: { select: AGENT_FIELDS } },
  });
  const items = rows.slice(0, page.limit).map((row) => ({ hostId, agent: row.agent, grantedAt: row.createdAt }));
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].agent.id : null };
}

export type HostForAgent = Pick<Host, 'id' | 'name'> & { grantedAt: Date | null };

/** The hosts an agent acts for (all of them for a platform agent), by id; the cursor is the last host id seen. */
export async function listHostsForAgent(
  ctx: DomainContext,
  agent: ActingAgent,
  page: { limit: number; cursor?: string },
): Promise<Page<HostForAgent>> {
  const rows = await ctx.db.host.findMany({
    where: { ...hostsActedForBy(agent), ...(page.cursor ? { id: { gt: page.cursor } } : {}) },
    orderBy: { id: 'asc' },
    take: page.limit + 1,
    select: { id: true, name: true, agentGrants: { where: { agentId: agent.id }, select: { createdAt: true } } },
  });
  const items = rows
    .slice(0, page.limit)
    .map((h) => ({ id: h.id, name: h.name, grantedAt: h.agentGrants[0]?.createdAt ?? null }));
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].id : null };
}
