import type { Express } from 'express';
import request from 'supertest';
import { ensureEventTypes } from '@bellhop/domain';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';
import { apiRoutes } from '../openapi';
import { tableCounts, type ApiRoute } from './__tests__/route-fixtures';
import {
  AGENT_ROLES,
  allowed,
  routeName,
  TENANCY_CASES,
  tenancyWorld,
  type AgentRole,
  type TenancyWorld,
} from './__tests__/tenancy-fixtures';

let env: TestEnv;
let app: Express;
let world: TenancyWorld;
beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_SCALE: '100' });
  app = createApp({ ctx: env.ctx });
  await ensureEventTypes(env.ctx.db);
  world = await tenancyWorld(env.ctx);
});
afterAll(async () => {
  await env.close();
});

const agentRoutes = () => apiRoutes.routes.filter((r) => r.auth.includes('agent'));

describe('tenancy matrix', () => {
  it('has a case for every agent-facing route', () => {
    expect(
      agentRoutes()
        .map(routeName)
        .filter((name) => !TENANCY_CASES[name]),
    ).toEqual([]);
  });

  /** Every agent-facing route × role, sent the way `send` sends it (a bearer header, or the portal's cookie). */
  async function matrixProblems(send: (role: AgentRole, method: ApiRoute['method'], path: string) => request.Test) {
    const problems: string[] = [];
    let cases = 0;
    for (const route of agentRoutes()) {
      const spec = TENANCY_CASES[routeName(route)];
      if (!spec) continue;
      for (const role of AGENT_ROLES) {
        const { path, body } = await spec.build(env.ctx, world);
        const before = await tableCounts(env);
        const req = send(role, route.method, path);
        const res = body === undefined ? await req : await req.send(body as object);
        cases++;
        const where = `${routeName(route)} as ${role} → ${res.status}`;
        if (allowed(spec.ownership, role)) {
          if (res.status !== (route.status ?? 200))
            problems.push(`${where}, expected ${route.status ?? 200}: ${JSON.stringify(res.body).slice(0, 200)}`);
          continue;
        }
        if (res.status !== 404) problems.push(`${where}, expected 404`);
        if (res.body?.error?.code !== 'not_found' || 'data' in (res.body ?? {}))
          problems.push(`${where} answered ${JSON.stringify(res.body).slice(0, 200)}`);
        const after = await tableCounts(env);
        if (JSON.stringify(after) !== JSON.stringify(before))
          problems.push(`${where} wrote rows: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      }
    }
    expect(cases).toBe(agentRoutes().length * AGENT_ROLES.length);
    return problems;
  }

  it('lets each agent act only for the hosts that granted it and on its own data: 404 otherwise, nothing written', async () => {
    expect(
      await matrixProblems((role, method, path) =>
        request(app)[method](path).set('Authorization', world.agents[role].auth),
      ),
    ).toEqual([]);
  }, 180_000); // over a hundred requests with their fixtures: slow only on a busy machine

  it('gives a portal session exactly what its key may do: the same matrix through /portal/api with the cookie', async () => {
    const sessions = {} as Record<AgentRole, { cookie: string; csrf: string }>;
    for (const role of AGENT_ROLES) {
      const link = await request(app)
        .post('/api/v1/external/portal-sessions')
        .set('Authorization', world.agents[role].auth)
        .expect(201);
      const signedIn = await request(app)
        .post('/portal/session')
        .send({ link_token: new URL(link.body.data.url).hash.slice('#token='.length) })
        .expect(201);
      sessions[role] = {
        cookie: String(signedIn.headers['set-cookie']).split(';')[0],
        csrf: signedIn.body.data.csrf_token,
      };
    }
    const problems = await matrixProblems((role, method, path) =>
      request(app)
        [method](`/portal${path}`)
        .set('Cookie', sessions[role].cookie)
        .set('X-CSRF-Token', sessions[role].csrf),
    );
    expect(problems).toEqual([]);
  }, 180_000);

  it('never tells an agent which hosts exist beyond its own: the hosts it lists are exactly those it acts for', async () => {
    const hostsOf = async (role: keyof TenancyWorld['agents']) =>
      (
        await request(app)
          .get('/api/v1/external/hosts?limit=100')
          .set('Authorization', world.agents[role].auth)
          .expect(200)
      ).body.data.items.map((h: { id: string }) => h.id);
    expect(await hostsOf('granted partner')).toEqual([world.hostA.hostId]);
    expect(await hostsOf('partner of another host')).toEqual([world.hostB.hostId]);
    expect(await hostsOf('ungranted partner')).toEqual([]);
    expect(await hostsOf('revoked grant')).toEqual([]);
    expect(await hostsOf('platform')).toEqual(expect.arrayContaining([world.hostA.hostId, world.hostB.hostId]));
  });
});
