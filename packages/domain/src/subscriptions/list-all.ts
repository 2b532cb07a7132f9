import type { Db } from '@bellhop/db';

/** One subscription as the operator CLI lists it (every owner, deleted ones left out). */
export interface SubscriptionOverview {
  id: string;
  owner_agent_id: string;
  agent_name: string;
  /** null for a pull subscription. */
  url: string | null;
  delivery: 'push' | 'pull';
  events: string[];
  active: boolean;
  failed_attempts: number;
  disabled_reason: string | null;
  created_at: string;
}

export async function listAllSubscriptions(db: Db): Promise<SubscriptionOverview[]> {
  const rows = await db.webhookSubscription.findMany({ where: { deletedAt: null }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    owner_agent_id: row.ownerAgentId,
    agent_name: row.agentName,
    url: row.webhookUrl,
    delivery: row.delivery,
    events: row.events,
    active: row.isActive,
    failed_attempts: row.failedAttempts,
    disabled_reason: row.disabledReason,
    created_at: row.createdAt.toISOString(),
  }));
}

/** The API key owning a live subscription, so operator tools can act with the owner's rights. */
export async function subscriptionOwner(db: Db, id: string): Promise<string | null> {
  const row = await db.webhookSubscription.findFirst({
    where: { id, deletedAt: null },
    select: { ownerAgentId: true },
  });
  return row?.ownerAgentId ?? null;
}
