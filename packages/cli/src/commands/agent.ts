import { createAgent, grantHostAccess, listAgents, revokeHostAccess } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import { requireFlag, UsageError, type Command, type CommandContext } from '../command';
import { fields, print, table } from '../output';

export const agentCreate: Command = {
  usage: 'agent create --name NAME [--platform]   (a partner agent; --platform: the booking platform itself, acting for every host)',
  async run(ctx) {
    const agent = await createAgent(ctx.db(), { name: requireFlag(ctx, 'name'), kind: ctx.flags.platform === true ? 'platform' : 'partner' });
    print(ctx.out, agent, () => `${fields({ id: agent.id, name: agent.name, kind: agent.kind })}\n\nGive it a key:  npm run cli -- api-key create --agent ${agent.id}`);
  },
};

export const agentList: Command = {
  usage: 'agent list',
  async run(ctx) {
    const agents = await listAgents(ctx.db());
    print(ctx.out, agents, () => table(agents, ['id', 'name', 'kind', 'createdAt']));
  },
};

const grantDeps = (ctx: CommandContext) => ({ db: ctx.db(), logger: createLogger('cli', 'warn') });

export const grant: Command = {
  usage: 'grant --host HOST_ID --agent AGENT_ID   (the host lets a partner agent act for it)',
  async run(ctx) {
    const { grant: row, created } = await grantHostAccess(grantDeps(ctx), requireFlag(ctx, 'host'), requireFlag(ctx, 'agent'));
    const result = { host_id: row.hostId, agent: row.agent, granted_at: row.grantedAt.toISOString(), created };
    print(ctx.out, result, () => `${created ? 'granted' : 'already granted'}: ${row.agent.id} (${row.agent.name}) acts for ${row.hostId}`);
  },
};

export const revoke: Command = {
  usage: "revoke --host HOST_ID --agent AGENT_ID   (takes the grant back; the agent's unsent deliveries about the host are cancelled)",
  async run(ctx) {
    const hostId = requireFlag(ctx, 'host');
    const agentId = requireFlag(ctx, 'agent');
    if (!(await revokeHostAccess(grantDeps(ctx), hostId, agentId))) throw new UsageError(`${agentId} has no grant from ${hostId}`);
    print(ctx.out, { host_id: hostId, agent_id: agentId, revoked: true }, () => `revoked: ${agentId} no longer acts for ${hostId}`);
  },
};
