import { z } from 'zod';
import type { Method, Route } from './route';

type AnyRoute = Route<z.ZodType, z.ZodType, z.ZodType>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

const SECURITY: Record<string, Record<string, unknown>> = {
  agent: { type: 'http', scheme: 'bearer', description: 'Agent API key (bh_…)' },
  host: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Host token (JWT, sub = host id)' },
  admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
  basic: { type: 'http', scheme: 'basic', description: 'Inbound connection login and password' },
  signature: { type: 'apiKey', in: 'header', name: 'Signature', description: 'Hex HMAC-SHA256 of the raw body' },
};

const errorEnvelope = {
  type: 'object',
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
      required: ['code', 'message'],
    },
  },
};

/** Collects documented routes and renders them as an OpenAPI 3.1 document. */
export class RouteRegistry {
  readonly routes: AnyRoute[] = [];

  add<R extends AnyRoute>(route: R): R {
    this.routes.push(route);
    return route;
  }

  has(method: string, expressPath: string): boolean {
    return this.routes.some((r) => r.method === method.toLowerCase() && r.path === expressPath);
  }

  toOpenApi(
    info: { title: string; version: string; description?: string },
    serverUrl: string,
  ): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const openPath = route.path.replace(/:(\w+)/g, '{$1}');
      paths[openPath] ??= {};
      paths[openPath][route.method satisfies Method] = this.operation(route);
    }
    const schemes = Object.fromEntries(
      Object.entries(SECURITY).filter(([k]) => this.routes.some((r) => r.auth.includes(k as never))),
    );
    return { openapi: '3.1.0', info, servers: [{ url: serverUrl }], paths, components: { securitySchemes: schemes } };
  }

  private operation(route: AnyRoute): Record<string, unknown> {
    const parameters = [...this.parameters(route.params, 'path'), ...this.parameters(route.query, 'query')];
    const status = String(route.status ?? 200);
    const data = route.response ? jsonSchema(route.response, 'output') : {};
    const responses: Record<string, unknown> = {
      [status]:
        status === '204'
          ? { description: route.summary }
          : {
              description: route.summary,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { success: { const: true }, data },
                    required: ['success', 'data'],
                  },
                  ...(route.example?.response !== undefined
                    ? { example: { success: true, data: route.example.response } }
                    : {}),
                },
              },
            },
    };
    const tenancy: Record<number, string> = route.hostParam
      ? { 404: `No such host, or one that has not granted the calling agent` }
      : {};
    const unauthenticated: Record<number, string> = route.auth.includes('none')
      ? {}
      : { 401: 'Missing or invalid credentials' };
    const failures: Record<number, string> = {
      400: 'Invalid input (details name each field)',
      ...unauthenticated,
      ...tenancy,
      ...route.errors,
    };
    for (const [code, description] of Object.entries(failures)) {
      responses[code] = { description, content: { 'application/json': { schema: errorEnvelope } } };
    }
    return {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      operationId: `${route.method}${route.path.replace(/[/:{}-]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: route.auth.filter((a) => a !== 'none').map((a) => ({ [a]: [] })),
      ...(route.scope ? { 'x-required-scope': route.scope } : {}),
      ...(route.hostParam ? { 'x-host-parameter': route.hostParam } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: jsonSchema(route.body, 'input'),
                  ...(route.example?.request !== undefined ? { example: route.example.request } : {}),
                },
              },
            },
          }
        : {}),
      responses,
    };
  }

  private parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
    if (!schema) return [];
    const json = jsonSchema(schema, 'input') as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    return Object.entries(json.properties ?? {}).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: s,
      ...(s.description ? { description: s.description } : {}),
    }));
  }
}
