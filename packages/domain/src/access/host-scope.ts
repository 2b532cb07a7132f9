import type { Prisma } from '@bellhop/db';
import { notFound } from '@bellhop/errors';
import type { DomainContext } from '../context';
import type { Actor } from './agents';

/**
 * The hosts an actor acts for, as a Prisma filter on `Host`: every host for the operator and a
 * platform agent, the granting ones for a partner. Queries that load a host's rows for an agent put this in
 * their `where`, so a missing check is a missing argument, not a missing `if`.
 */
export function hostsActedForBy(actor: Actor): Prisma.HostWhereInput {
  return actor.kind === 'partner' ? { agentGrants: { some: { agentId: actor.id } } } : {};
}

/** 404 unless the host exists and the actor acts for it: another host looks exactly like a missing one. */
export async function findHostForAgent(
  ctx: DomainContext,
  actor: Actor,
  hostId: string,
  field?: string,
): Promise<{ id: string }> {
  const host = await ctx.db.host.findFirst({ where: { id: hostId, ...hostsActedForBy(actor) }, select: { id: true } });
  if (!host) throw notFound('Host', field ? [{ field, message: 'no such host' }] : undefined);
  return host;
}
