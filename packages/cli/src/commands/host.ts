import { signHostToken } from '@bellhop/auth';
import { parseDuration } from '@bellhop/config';
import { createHost, findHost } from '@bellhop/domain/access/hosts';
import { requireFlag, UsageError, type CommandContext } from '../command';
import { fields, print } from '../output';

export async function hostCreate(ctx: CommandContext): Promise<void> {
  const host = await createHost(ctx.db(), {
    name: requireFlag(ctx, 'name'),
    email: requireFlag(ctx, 'email'),
    autoApproveBookings: ctx.flags['auto-approve'] === true,
  });
  print(ctx.out, host, () =>
    fields({ id: host.id, name: host.name, email: host.email, auto_approve_bookings: host.autoApproveBookings }),
  );
}

export async function hostToken(ctx: CommandContext): Promise<void> {
  const hostId = ctx.args[0];
  if (!hostId) throw new UsageError('missing HOST_ID');
  if (!(await findHost(ctx.db(), hostId))) throw new UsageError(`no host ${hostId}`);
  const ttlMs = parseDuration(typeof ctx.flags.ttl === 'string' ? ctx.flags.ttl : '1h');
  if (!ttlMs) throw new UsageError('--ttl must be a duration such as 30m, 1h or 7d');
  const token = await signHostToken(ctx.config.JWT_SECRET, hostId, Math.round(ttlMs / 1000));
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  print(ctx.out, { host_id: hostId, token, expires_at: expiresAt }, () => `${token}\n(expires ${expiresAt})`);
}
