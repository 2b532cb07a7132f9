import { looksLikeApiKeyToken, looksLikeJwt, safeEqual, verifyHostToken } from '@bellhop/auth';
import {
  authenticateApiKey,
  OPERATOR,
  type ActingAgent,
  type Actor,
  type AgentIdentity,
  type DomainContext,
} from '@bellhop/domain';
import { forbidden } from '@bellhop/errors';

export type Caller = ({ kind: 'agent' } & AgentIdentity) | { kind: 'host'; hostId: string } | { kind: 'admin' };

declare global {
  namespace Express {
    interface Request {
      caller?: Caller;
    }
  }
}

/** Who sent this bearer token: an agent key (bh_…), a host token (JWT) or the admin token; null if none of them. */
export async function identify(ctx: DomainContext, token: string): Promise<Caller | null> {
  if (looksLikeApiKeyToken(token)) {
    const agent = await authenticateApiKey(ctx.db, token);
    return agent && { kind: 'agent', ...agent };
  }
  if (looksLikeJwt(token)) {
    try {
      return { kind: 'host', hostId: await verifyHostToken(ctx.config.JWT_SECRET, token) };
    } catch {
      return null;
    }
  }
  return safeEqual(token, ctx.config.ADMIN_TOKEN) ? { kind: 'admin' } : null;
}

/** The agent an agent-only route acts for, with the key that called. */
export function actingAgent(caller: Caller | undefined): ActingAgent {
  if (caller?.kind !== 'agent') throw forbidden('Agent API key required');
  return { id: caller.agent.id, kind: caller.agent.kind, keyId: caller.keyId };
}

/** Whoever a route open to agents and the operator acts for. */
export function actor(caller: Caller | undefined): Actor {
  if (caller?.kind === 'admin') return OPERATOR;
  return actingAgent(caller);
}
