import type { Express } from 'express';
import request from 'supertest';
import { revokeApiKey } from '@bellhop/domain';
import { createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';
import { apiRoutes } from '../openapi';
import { callers, concretePath, type ApiRoute, type Callers } from './__tests__/route-fixtures';

let env: TestEnv;
let app: Express;
let who: Callers;
let revoked: string;
let scopeless: string;
let otherHostAuth: string;
beforeAll(async () => {
  // Hundreds of made-up credentials from one address: lift the failed-authentication limit (tested on its own).
  env = await createTestEnv({ AUTH_FAILURE_LIMIT: '100000' });
  app = createApp({ ctx: env.ctx });
  who = await callers(env);
  const gone = await createAgentKey(env.ctx);
  await revokeApiKey(env.ctx.db, gone.keyId);
  revoked = gone.auth;
  scopeless = (await createAgentKey(env.ctx, { scopes: [] })).auth;
  otherHostAuth = (await createHostWithToken(env.ctx)).auth;
});
afterAll(async () => {
  await env.close();
});

const guarded = () =>
  apiRoutes.routes.filter((r) => r.auth.some((a) => a === 'agent' || a === 'host' || a === 'admin'));

async function call(route: ApiRoute, auth: string | null) {
  const req = request(app)[route.method](concretePath(route, who.host.hostId));
  if (auth !== null) req.set('Authorization', auth);
  return ['post', 'put', 'patch'].includes(route.method) ? req.send({}) : req;
}

describe('auth matrix', () => {
  it('answers every guarded route × credential with the expected status and leaks nothing', async () => {
    const problems: string[] = [];
    const expect401 = [
      '(none)',
      'Bearer not-a-real-token',
      'Basic dXNlcjpwYXNz',
      `Bearer ${'a'.repeat(5000)}`,
      'Bearer bh_forged_key_that_was_never_issued',
    ];
    for (const route of guarded()) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      const cases: [string, string | null, number][] = expect401.map((a) => [
        a.slice(0, 30),
        a === '(none)' ? null : a,
        401,
      ]);
      if (route.auth.includes('agent')) {
        cases.push(['revoked key', revoked, 401]);
        if (route.scope) cases.push(['key without the scope', scopeless, 403]);
      } else {
        cases.push(['agent key', who.agent.auth, 403]);
      }
      if (!route.auth.includes('host')) cases.push(['host token', who.host.auth, 403]);
      else if (route.path.includes(':hostId')) cases.push(["another host's token", otherHostAuth, 403]);
      if (!route.auth.includes('admin')) cases.push(['admin token', who.admin, 403]);
      for (const [label, auth, expected] of cases) {
        const res = await call(route, auth);
        if (res.status !== expected) problems.push(`${name} with ${label} → ${res.status}, expected ${expected}`);
        if ('data' in (res.body ?? {})) problems.push(`${name} with ${label} leaked data`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('takes a portal session cookie only through /portal/api, and only as its agent key', async () => {
    const link = await request(app)
      .post('/api/v1/external/portal-sessions')
      .set('Authorization', who.agent.auth)
      .expect(201);
    const signedIn = await request(app)
      .post('/portal/session')
      .send({ link_token: new URL(link.body.data.url).hash.slice('#token='.length) })
      .expect(201);
    const session = {
      cookie: String(signedIn.headers['set-cookie']).split(';')[0],
      csrf: signedIn.body.data.csrf_token as string,
    };
    const problems: string[] = [];
    for (const route of guarded()) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      const path = concretePath(route, who.host.hostId);
      const viaPortal = (cookie: string) => {
        const req = request(app)
          [route.method](`/portal${path}`)
          .set('Cookie', cookie)
          .set('X-CSRF-Token', session.csrf);
        return ['post', 'put', 'patch'].includes(route.method) ? req.send({}) : req;
      };
      const cases: [string, () => request.Test, number][] = [
        ['a forged portal cookie', () => viaPortal('bellhop_portal=bhps_forged_session_token_padding'), 401],
        [
          'the portal cookie on the API path itself',
          () => request(app)[route.method](path).set('Cookie', session.cookie),
          401,
        ],
      ];
      if (!route.auth.includes('agent')) cases.push(['a portal session', () => viaPortal(session.cookie), 403]);
      for (const [label, send, expected] of cases) {
        const res = await send();
        if (res.status !== expected) problems.push(`${name} with ${label} → ${res.status}, expected ${expected}`);
        if ('data' in (res.body ?? {})) problems.push(`${name} with ${label} leaked data`);
      }
    }
    expect(problems).toEqual([]);
  });
});
