import type { RequestHandler } from 'express';
import { bearerToken, looksLikeApiKeyToken, looksLikeJwt, safeEqual, verifyHostToken, type Scope } from '@bellhop/auth';
import { authenticateApiKey, type DomainContext } from '@bellhop/domain';
import { unauthorized } from '@bellhop/http';
import { forbidden } from '@bellhop/errors';

export type Caller =
  | { kind: 'agent'; keyId: string; name: string; scopes: Scope[] }
  | { kind: 'host'; hostId: string }
  | { kind: 'admin' };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express { interface Request { caller?: Caller } }
}

/** Who sent this bearer token: an agent key (bh_…), a host token (JWT) or the admin token. */
async function identify(ctx: DomainContext, token: string): Promise<Caller | null> {
  if (looksLikeApiKeyToken(token)) {
    const agent = await authenticateApiKey(ctx.db, token);
    return agent && { kind: 'agent', ...agent };
  }
  if (looksLikeJwt(token)) {
    try { return { kind: 'host', hostId: await verifyHostToken(ctx.config.JWT_SECRET, token) }; } catch { return null; }
  }
  return safeEqual(token, ctx.config.ADMIN_TOKEN) ? { kind: 'admin' } : null;
}

export interface AccessRule {
  /** Any authenticated caller may call. */
  anyCaller?: boolean;
  /** Agents holding this scope may call. */
  agentScope?: Scope;
  /** The host whose id is in this route parameter may call. */
  hostParam?: string;
  admin?: boolean;
}

/** 401 without valid credentials; 403 for a caller the rule does not admit. */
export function allow(ctx: DomainContext, rule: AccessRule): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    const caller = token ? await identify(ctx, token) : null;
    if (!caller) throw unauthorized();
    req.caller = caller;
    if (rule.anyCaller) return next();
    if (caller.kind === 'admin' && rule.admin) return next();
    if (caller.kind === 'agent' && rule.agentScope) {
      if (caller.scopes.includes(rule.agentScope)) return next();
      throw forbidden(`This API key lacks the ${rule.agentScope} scope`);
    }
    if (caller.kind === 'host' && rule.hostParam) {
      if (caller.hostId === req.params[rule.hostParam]) return next();
      throw forbidden('A host may only access its own resources');
    }
    throw forbidden(`This endpoint is not available to ${caller.kind} credentials`);
  };
}

/** The agent's key id (routes guarded with agentScope only). */
export function agentKeyId(caller: Caller | undefined): string {
  if (caller?.kind !== 'agent') throw forbidden('Agent API key required');
  return caller.keyId;
}
