import type { Db } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';

/** Hosts are never deleted, so a host seen once stays known; bounded per database. */
const MAX_KNOWN = 50_000;
const known = new WeakMap<Db, Set<string>>();

/** 404 naming `field` unless the host exists; a host found once is not looked up again. */
export async function assertHostExists(ctx: DomainContext, hostId: string, field: string): Promise<void> {
  let hosts = known.get(ctx.db);
  if (!hosts) known.set(ctx.db, (hosts = new Set()));
  if (hosts.has(hostId)) return;
  if (!(await ctx.db.host.findUnique({ where: { id: hostId }, select: { id: true } }))) {
    throw notFound('Host', [{ field, message: 'no such host' }]);
  }
  if (hosts.size >= MAX_KNOWN) hosts.clear();
  hosts.add(hostId);
}
