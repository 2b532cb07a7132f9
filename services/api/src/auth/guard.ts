import type { RequestHandler, Router } from 'express';
import { findHostForAgent, type DomainContext } from '@bellhop/domain';
import { forbidden } from '@bellhop/errors';
import { unauthorized, type RouteSpec } from '@bellhop/http';
import { actingAgent } from './caller';

export type GuardedRoute = Pick<RouteSpec<never, never, never>, 'method' | 'path' | 'auth' | 'scope' | 'hostParam'>;

/**
 * Enforces what the route declares (the same declaration feeds the OpenAPI document): 401 without
 * a caller; 403 for a kind of caller the route does not take, an agent key without the scope, or
 * another host's token; 404 for an agent on a host it does not act for.
 */
export function guard(ctx: DomainContext, route: GuardedRoute): RequestHandler {
  return async (req, _res, next) => {
    const caller = req.caller;
    if (!caller) throw unauthorized();
    if (!route.auth.includes(caller.kind))
      throw forbidden(`This endpoint is not available to ${caller.kind} credentials`);
    const hostId = route.hostParam ? String(req.params[route.hostParam]) : undefined;
    if (caller.kind === 'agent') {
      if (route.scope && !(caller.scopes as string[]).includes(route.scope))
        throw forbidden(`This API key lacks the ${route.scope} scope`);
      if (hostId !== undefined) await findHostForAgent(ctx, actingAgent(caller), hostId);
    }
    if (caller.kind === 'host' && hostId !== undefined && caller.hostId !== hostId)
      throw forbidden('A host may only access its own resources');
    next();
  };
}

/** Mounts a documented route behind its own guard, so no route can forget it. */
export function mount(router: Router, ctx: DomainContext, route: GuardedRoute, handler: RequestHandler): void {
  router[route.method](route.path, guard(ctx, route), handler);
}

/** For the operator's pages outside the documented API (Bull Board). */
export const adminOnly: RequestHandler = (req, _res, next) => {
  if (!req.caller) throw unauthorized();
  if (req.caller.kind !== 'admin') throw forbidden(`This endpoint is not available to ${req.caller.kind} credentials`);
  next();
};
