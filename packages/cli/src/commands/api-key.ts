import { isScope, SCOPES, type Scope } from '@bellhop/auth';
import { createApiKey, listApiKeys, revokeApiKey } from '@bellhop/domain';
import { requireFlag, UsageError, type Command } from '../command';
import { fields, print, table } from '../output';

export const apiKeyCreate: Command = {
  usage: `api-key create --name NAME [--scopes ${SCOPES.join(',')}]   (all scopes when omitted)`,
  async run(ctx) {
    const name = requireFlag(ctx, 'name');
    const scopes = typeof ctx.flags.scopes === 'string' ? ctx.flags.scopes.split(',').map((s) => s.trim()).filter(Boolean) : [...SCOPES];
    const unknown = scopes.filter((s) => !isScope(s));
    if (unknown.length) throw new UsageError(`unknown scope(s): ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
    const key = await createApiKey(ctx.db(), { name, scopes: scopes as Scope[] });
    print(ctx.out, key, () => `${fields({ id: key.id, name: key.name, scopes: key.scopes, key: key.token })}\n\nThe key is shown only now. Send it as: Authorization: Bearer ${key.token}`);
  },
};

export const apiKeyList: Command = {
  usage: 'api-key list',
  async run(ctx) {
    const keys = await listApiKeys(ctx.db());
    print(ctx.out, keys, () => table(keys, ['id', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt']));
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
