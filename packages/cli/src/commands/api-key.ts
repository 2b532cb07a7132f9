import { isScope, SCOPES, type Scope } from '@bellhop/auth';
import { createAgent, createApiKey, findAgent, listApiKeys, revokeApiKey } from '@bellhop/domain';
import { UsageError, type Command, type CommandContext } from '../command';
import { fields, print, table } from '../output';

function scopesFlag(ctx: CommandContext): Scope[] {
  const scopes = typeof ctx.flags.scopes === 'string' ? ctx.flags.scopes.split(',').map((s) => s.trim()).filter(Boolean) : [...SCOPES];
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length) throw new UsageError(`unknown scope(s): ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  return scopes as Scope[];
}

/** The agent the key is for: --agent names one; otherwise --name creates a new agent (partner unless --platform). */
async function keyOwner(ctx: CommandContext) {
  const name = typeof ctx.flags.name === 'string' && ctx.flags.name !== '' ? ctx.flags.name : undefined;
  if (typeof ctx.flags.agent === 'string' && ctx.flags.agent !== '') {
    const agent = await findAgent(ctx.db(), ctx.flags.agent);
    if (!agent) throw new UsageError(`no agent ${ctx.flags.agent}`);
    return { agent, label: name ?? `${agent.name} key` };
  }
  if (!name) throw new UsageError('give --agent AGENT_ID, or --name NAME to create an agent with this key');
  return { agent: await createAgent(ctx.db(), { name, kind: ctx.flags.platform === true ? 'platform' : 'partner' }), label: name };
}

export const apiKeyCreate: Command = {
  usage: `api-key create (--agent AGENT_ID | --name NAME [--platform]) [--scopes ${SCOPES.join(',')}]   (all scopes when omitted)`,
  async run(ctx) {
    const scopes = scopesFlag(ctx);
    const { agent, label } = await keyOwner(ctx);
    const key = await createApiKey(ctx.db(), { agentId: agent.id, name: label, scopes });
    print(ctx.out, key, () => [
      fields({ id: key.id, name: key.name, agent: `${agent.id} (${agent.name}, ${agent.kind})`, scopes: key.scopes, key: key.token }),
      '',
      `The key is shown only now. Send it as: Authorization: Bearer ${key.token}`,
      ...(agent.kind === 'partner' ? [`A partner acts only for hosts that grant it:  npm run cli -- grant --host HOST_ID --agent ${agent.id}`] : []),
    ].join('\n'));
  },
};

export const apiKeyList: Command = {
  usage: 'api-key list [--agent AGENT_ID]',
  async run(ctx) {
    const keys = await listApiKeys(ctx.db(), { agentId: typeof ctx.flags.agent === 'string' ? ctx.flags.agent : undefined });
    print(ctx.out, keys, () => table(keys, ['id', 'agentId', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt']));
  },
};

export const apiKeyRevoke: Command = {
  usage: 'api-key revoke ID',
  async run(ctx) {
    const id = ctx.args[0];
    if (!id) throw new UsageError('missing the key ID');
    if (!(await revokeApiKey(ctx.db(), id))) throw new UsageError(`no API key ${id}`);
    print(ctx.out, { id, revoked: true }, () => `revoked ${id}`);
  },
};
