import { z } from 'zod';
import { createInboundConnection, hospitableSignature, type InboundCredentials } from '@bellhop/domain';
import type { AuthKind } from '@bellhop/http';
import { adminAuth, createAgentKey, createHostWithToken, type TestEnv } from '@bellhop/testing';
import { apiRoutes } from '../../openapi';

export type ApiRoute = (typeof apiRoutes.routes)[number];

/** Credentials of every kind, for driving each route as a legitimate caller would. */
export async function callers(env: TestEnv) {
  const agent = await createAgentKey(env.ctx);
  const host = await createHostWithToken(env.ctx);
  return { agent, host, admin: adminAuth(env.ctx) };
}
export type Callers = Awaited<ReturnType<typeof callers>>;

/** A concrete URL for a route: the caller's own host id where the route takes one, `params` where given. */
export function concretePath(route: ApiRoute, hostId: string, params: Record<string, string> = {}): string {
  return route.path.replace(
    /:(\w+)/g,
    (_m, name: string) => params[name] ?? (/host/i.test(name) ? hostId : `${name}_does_not_exist`),
  );
}

export type InboundConnections = Record<'hostaway' | 'hospitable', InboundCredentials>;

/** A Hostaway and a Hospitable connection of the host, for driving the inbound routes as a channel would. */
export async function inboundConnections(env: TestEnv, hostId: string): Promise<InboundConnections> {
  const deps = { db: env.ctx.db, secrets: env.ctx.secrets, publicApiUrl: env.config.PUBLIC_API_URL };
  return {
    hostaway: await createInboundConnection(deps, { provider: 'hostaway', hostId }),
    hospitable: await createInboundConnection(deps, { provider: 'hospitable', hostId }),
  };
}

/** The path and headers a legitimate caller sends, channels included (Basic auth, or the body's HMAC). */
export function legitimateRequest(
  route: ApiRoute,
  c: Callers,
  inbound: InboundConnections,
  rawBody: string | Buffer = '',
  params: Record<string, string> = {},
) {
  const connection = route.auth.includes('basic')
    ? inbound.hostaway
    : route.auth.includes('signature')
      ? inbound.hospitable
      : undefined;
  const path = concretePath(route, c.host.hostId, {
    ...(connection ? { connectionId: connection.id } : {}),
    ...params,
  });
  const headers: Record<string, string> = {};
  const auth = legitimateAuth(route, c);
  if (auth) headers.Authorization = auth;
  if (connection?.login)
    headers.Authorization = `Basic ${Buffer.from(`${connection.login}:${connection.password}`).toString('base64')}`;
  if (connection?.signing_secret) headers.Signature = hospitableSignature(rawBody, connection.signing_secret);
  return { path, headers };
}

/** The credential a legitimate caller of this route would send. */
export function legitimateAuth(route: ApiRoute, c: Callers): string | null {
  const order: AuthKind[] = ['agent', 'host', 'admin'];
  const kind = order.find((k) => route.auth.includes(k));
  if (kind === 'agent') return c.agent.auth;
  if (kind === 'host') return c.host.auth;
  if (kind === 'admin') return c.admin;
  return null;
}

/** Top-level body properties and their JSON-schema types, read from the route's zod schema. */
export function bodyProperties(route: ApiRoute): { name: string; type: string }[] {
  if (!route.body) return [];
  const json = z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string | string[] }>;
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    type: String(Array.isArray(s.type) ? s.type[0] : (s.type ?? 'unknown')),
  }));
}

/** Path parameter names, in order. */
export const pathParams = (route: ApiRoute): string[] => [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);

/** Query parameter names, read from the route's zod schema. */
export function queryParams(route: ApiRoute): string[] {
  if (!route.query) return [];
  const json = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return Object.keys(json.properties ?? {});
}

/** Row counts of every table, to prove a rejected request wrote nothing. */
export async function tableCounts(env: TestEnv): Promise<Record<string, number>> {
  const rows = await env.ctx.db.$queryRaw<
    { relname: string }[]
  >`SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname <> '_prisma_migrations'`;
  const counts: Record<string, number> = {};
  for (const { relname } of rows) {
    const [{ n }] = await env.ctx.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${relname}"`);
    counts[relname] = Number(n);
  }
  return counts;
}
