import { createAgent, listAgents } from '@bellhop/domain/access/agents';
import { grantHostAccess, revokeHostAccess } from '@bellhop/domain/access/grants';
import { createLogger } from '@bellhop/logger';
import { requireFlag, UsageError, type CommandContext } from '../command';
import { fields, print, table } from '../output';

export async function agentCreate(ctx: CommandContext): Promise<void> {
  const agent = await createAgent(ctx.db(), {
    name: requireFlag(ctx, 'name'),
    kind: ctx.flags.platform === true ? 'platform' : 'partner',
  });
  print(
    ctx.out,
    agent,
    () =>
      `${fields({ id: agent.id, name: agent.name, kind: agent.kind })}\n\nGive it a key:  npm run cli -- api-key create --agent ${agent.id}`,
  );
}

export async function agentList(ctx: CommandContext): Promise<void> {
  const agents = await listAgents(ctx.db());
  print(ctx.out, agents, () => table(agents, ['id', 'name', 'kind', 'createdAt']));
}

const grantDeps = (ctx: CommandContext) => ({ db: ctx.db(), logger: createLogger('cli', 'warn') });

export async function grant(ctx: CommandContext): Promise<void> {
  const { grant: row, created } = await grantHostAccess(
    grantDeps(ctx),
    requireFlag(ctx, 'host'),
    requireFlag(ctx, 'agent'),
  );
  const result = { host_id: row.hostId, agent: row.agent, granted_at: row.grantedAt.toISOString(), created };
  print(
    ctx.out,
    result,
    () => `${created ? 'granted' : 'already granted'}: ${row.agent.id} (${row.agent.name}) acts for ${row.hostId}`,
  );
}

export async function revoke(ctx: CommandContext): Promise<void> {
  const hostId = requireFlag(ctx, 'host');
  const agentId = requireFlag(ctx, 'agent');
  if (!(await revokeHostAccess(grantDeps(ctx), hostId, agentId)))
    throw new UsageError(`${agentId} has no grant from ${hostId}`);
  print(
    ctx.out,
    { host_id: hostId, agent_id: agentId, revoked: true },
    () => `revoked: ${agentId} no longer acts for ${hostId}`,
  );
}
