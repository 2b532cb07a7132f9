import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from '../validation';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type AuthKind = 'agent' | 'host' | 'admin' | 'basic' | 'signature' | 'none';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  /** Express-style path, e.g. /api/v1/external/webhook-subscriptions/:id */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call: the auth check and the docs both read this. */
  auth: AuthKind[];
  /** Agents need this scope. */
  scope?: string;
  /**
   * The route acts on the host named by this path parameter: only that host's token passes, and an
   * agent only while it acts for that host (404 otherwise, as for a host that does not exist).
   */
  hostParam?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Schema of `data` in the success envelope. */
  response?: z.ZodType;
  status?: number;
  example?: { request?: unknown; response?: unknown };
  /** Other documented statuses, e.g. { 404: 'No such subscription' }. */
  errors?: Record<number, string>;
}

export type Route<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> = RouteSpec<B, Q, P> & {
  parseBody(req: Request): z.output<B>;
  parseQuery(req: Request): z.output<Q>;
  parseParams(req: Request): z.output<P>;
};

/** A documented route: the zod schemas that validate its input are the ones in the spec. */
export function defineRoute<
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodType = z.ZodUnknown,
>(spec: RouteSpec<B, Q, P>): Route<B, Q, P> {
  const need = <S extends z.ZodType>(schema: S | undefined, what: string): S => {
    if (!schema) throw new Error(`${spec.method.toUpperCase()} ${spec.path} declares no ${what} schema`);
    return schema;
  };
  return {
    ...spec,
    parseBody: (req) => parseInput(need(spec.body, 'body'), req.body ?? {}, 'body'),
    parseQuery: (req) => parseInput(need(spec.query, 'query'), req.query, 'query'),
    parseParams: (req) => parseInput(need(spec.params, 'params'), req.params, 'path parameter'),
  };
}
