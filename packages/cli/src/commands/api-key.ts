import { isScope, SCOPES, type Scope } from '@bellhop/auth/scopes';
import { createAgent, findAgent } from '@bellhop/domain/access/agents';
import {
  createApiKey,
  effectiveRateLimit,
  listApiKeys,
  MAX_RATE_LIMIT_PER_MINUTE,
  revokeApiKey,
  setApiKeyRateLimit,
} from '@bellhop/domain/access/api-keys';
import { requireFlag, UsageError, type CommandContext } from '../command';
import { fields, print, table } from '../output';

function scopesFlag(ctx: CommandContext): Scope[] {
  const scopes =
    typeof ctx.flags.scopes === 'string'
      ? ctx.flags.scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [...SCOPES];
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length) throw new UsageError(`unknown scope(s): ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  return scopes as Scope[];
}

const PER = { s: 60, min: 1 } as const;

/** `--rate-limit 6000/min` or `100/s` → requests a minute; `default` → null (the agent kind's default). */
export function parseRateLimit(value: string): number | null {
  if (value === 'default') return null;
  const match = /^(\d+)\/(s|min)$/.exec(value.trim());
  const perMinute = match ? Number(match[1]) * PER[match[2] as keyof typeof PER] : NaN;
  if (!(perMinute >= 1 && perMinute <= MAX_RATE_LIMIT_PER_MINUTE)) {
    throw new UsageError(
      `--rate-limit must be N/min or N/s, from 1/min to ${MAX_RATE_LIMIT_PER_MINUTE}/min, or "default" (got "${value}")`,
    );
  }
  return perMinute;
}

const rateLimitFlag = (ctx: CommandContext) =>
  typeof ctx.flags['rate-limit'] === 'string' ? parseRateLimit(ctx.flags['rate-limit']) : null;

/** The agent the key is for: --agent names one; otherwise --name creates a new agent (partner unless --platform). */
async function keyOwner(ctx: CommandContext) {
  const name = typeof ctx.flags.name === 'string' && ctx.flags.name !== '' ? ctx.flags.name : undefined;
  if (typeof ctx.flags.agent === 'string' && ctx.flags.agent !== '') {
    const agent = await findAgent(ctx.db(), ctx.flags.agent);
    if (!agent) throw new UsageError(`no agent ${ctx.flags.agent}`);
    return { agent, label: name ?? `${agent.name} key` };
  }
  if (!name) throw new UsageError('give --agent AGENT_ID, or --name NAME to create an agent with this key');
  return {
    agent: await createAgent(ctx.db(), { name, kind: ctx.flags.platform === true ? 'platform' : 'partner' }),
    label: name,
  };
}

export async function apiKeyCreate(ctx: CommandContext): Promise<void> {
  const scopes = scopesFlag(ctx);
  const rateLimitPerMinute = rateLimitFlag(ctx);
  const { agent, label } = await keyOwner(ctx);
  const created = await createApiKey(ctx.db(), { agentId: agent.id, name: label, scopes, rateLimitPerMinute });
  const key = {
    ...created,
    effectiveRateLimitPerMinute: effectiveRateLimit(
      { rateLimitPerMinute, kind: agent.kind },
      ctx.config.RATE_LIMIT_SCALE,
    ),
  };
  print(ctx.out, key, () =>
    [
      fields({
        id: key.id,
        name: key.name,
        agent: `${agent.id} (${agent.name}, ${agent.kind})`,
        scopes: key.scopes,
        'rate limit': rateLimitText(key),
        key: key.token,
      }),
      '',
      `The key is shown only now. Send it as: Authorization: Bearer ${key.token}`,
      ...(agent.kind === 'partner'
        ? [`A partner acts only for hosts that grant it:  npm run cli -- grant --host HOST_ID --agent ${agent.id}`]
        : []),
    ].join('\n'),
  );
}

const rateLimitText = (key: { rateLimitPerMinute: number | null; effectiveRateLimitPerMinute: number }) =>
  `${key.effectiveRateLimitPerMinute}/min${key.rateLimitPerMinute === null ? ' (default)' : ''}`;

export async function apiKeyList(ctx: CommandContext): Promise<void> {
  const rows = await listApiKeys(ctx.db(), {
    agentId: typeof ctx.flags.agent === 'string' ? ctx.flags.agent : undefined,
  });
  const keys = rows.map((k) => ({
    ...k,
    effectiveRateLimitPerMinute: effectiveRateLimit(
      { rateLimitPerMinute: k.rateLimitPerMinute, kind: k.agent.kind },
      ctx.config.RATE_LIMIT_SCALE,
    ),
  }));
  print(ctx.out, keys, () =>
    table(
      keys.map((k) => ({ ...k, rateLimit: rateLimitText(k) })),
      ['id', 'agentId', 'name', 'prefix', 'scopes', 'rateLimit', 'createdAt', 'lastUsedAt', 'revokedAt'],
    ),
  );
}

export async function apiKeyLimit(ctx: CommandContext): Promise<void> {
  const id = ctx.args[0];
  if (!id) throw new UsageError('missing the key ID');
  const rateLimitPerMinute = parseRateLimit(requireFlag(ctx, 'rate-limit'));
  const updated = await setApiKeyRateLimit(ctx.db(), id, rateLimitPerMinute);
  if (!updated) throw new UsageError(`no API key ${id}`);
  const key = {
    ...updated,
    effectiveRateLimitPerMinute: effectiveRateLimit(
      { rateLimitPerMinute, kind: updated.agent.kind },
      ctx.config.RATE_LIMIT_SCALE,
    ),
  };
  print(ctx.out, key, () => `${id}: ${rateLimitText(key)} (API processes apply it within 5 seconds)`);
}

export async function apiKeyRevoke(ctx: CommandContext): Promise<void> {
  const id = ctx.args[0];
  if (!id) throw new UsageError('missing the key ID');
  if (!(await revokeApiKey(ctx.db(), id))) throw new UsageError(`no API key ${id}`);
  print(ctx.out, { id, revoked: true }, () => `revoked ${id}`);
}
